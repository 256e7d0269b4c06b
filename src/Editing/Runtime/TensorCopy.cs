using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Runtime;

/// <summary>In-place copies from a temporary tensor, safe outside a dispose scope.</summary>
/// <remarks>TorchSharp frees a tensor's native side in its finalizer. A temporary passed straight into a native call
/// (<c>target.copy_(src.to(dtype))</c>) is unreachable while that call runs, so a garbage collection on another thread
/// can free it mid-copy: a crashed process (seen while model packs loaded on the embedded pipeline's three stage
/// threads at once). Here the temporary stays reachable until the copy returns and is then disposed.</remarks>
public static class TensorCopy
{
    /// <summary><paramref name="target"/> ← <paramref name="source"/> converted to the target's dtype and device.</summary>
    public static void CopyConverted(Tensor target, Tensor source)
    {
        var converted = source.to(target.dtype, target.device);
        try
        {
            target.copy_(converted);
        }
        finally
        {
            DisposeIntermediate(converted, source);
        }
    }

    /// <summary><paramref name="target"/> ← a tensor made for it (e.g. a random draw), disposed after the copy.</summary>
    public static void CopyFrom(Tensor target, Func<Tensor> make)
    {
        using var made = make();
        target.copy_(made);
    }

    /// <summary>A detached float32 copy of <paramref name="source"/>, owned by no dispose scope; the intermediate
    /// tensors stay reachable while native code reads them and are disposed after.</summary>
    public static Tensor DetachedFloat32Copy(Tensor source)
    {
        var detached = source.detach();
        var float32 = detached.to_type(ScalarType.Float32);
        try
        {
            return float32.clone().DetachFromDisposeScope();
        }
        finally
        {
            DisposeIntermediate(float32, detached, source);
            DisposeIntermediate(detached, source);
        }
    }

    /// <summary>A detached float32 copy of <paramref name="source"/> on <paramref name="device"/>, owned by no dispose scope
    /// (weights kept outside a module, such as <c>latent_avg</c> and the directions, when a pack moves to its device).</summary>
    public static Tensor DetachedFloat32CopyOn(Tensor source, Device device)
    {
        var moved = source.to(device);
        try
        {
            return DetachedFloat32Copy(moved);
        }
        finally
        {
            DisposeIntermediate(moved, source);
        }
    }

    /// <summary>The tensor's bytes in memory order (CPU, contiguous), with the tensors that hold them reachable until
    /// the bytes are copied out.</summary>
    public static byte[] ContiguousBytes(Tensor source)
    {
        var cpu = source.cpu();
        var contiguous = cpu.contiguous();
        try
        {
            return contiguous.numel() == 0 ? Array.Empty<byte>() : contiguous.bytes.ToArray();
        }
        finally
        {
            DisposeIntermediate(contiguous, cpu, source);
            DisposeIntermediate(cpu, source);
        }
    }

    /// <summary>Disposes a tensor an operation made, unless the operation handed back one of its inputs unchanged.</summary>
    private static void DisposeIntermediate(Tensor made, params Tensor[] inputs)
    {
        if (!inputs.Any(input => ReferenceEquals(input, made)))
            made.Dispose();
    }
}
