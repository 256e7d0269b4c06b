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
            if (!ReferenceEquals(converted, source))
                converted.Dispose();
        }
    }

    /// <summary><paramref name="target"/> ← a tensor made for it (e.g. a random draw), disposed after the copy.</summary>
    public static void CopyFrom(Tensor target, Func<Tensor> make)
    {
        using var made = make();
        target.copy_(made);
    }
}
