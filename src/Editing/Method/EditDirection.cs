using Pipeline.Editing.Runtime;
using Pipeline.Editing.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Method;

/// <summary>How a direction file is scaled before use.</summary>
public enum DirectionNormalization
{
    /// <summary>Used as stored.</summary>
    None,
    /// <summary>The official code: divide all n_latent×512 entries by their Frobenius norm, in float64.</summary>
    Frobenius,
}

/// <summary>
/// An attribute direction n in W+ ([n_latent, 512]) — InterFaceGAN style. A W direction ([1,512] or [512]) is
/// broadcast over every layer. Loaded from <c>.npy</c> (float32/float64), <c>.pt</c> (a tensor in a state dict) or
/// <c>.safetensors</c>.
/// </summary>
public sealed class EditDirection : IDisposable
{
    EditDirection(string name, Tensor vector, string source)
    {
        Name = name;
        Vector = vector;
        Source = source;
    }

    public string Name { get; }
    /// <summary>[n_latent, style_dim] float32 (or [1, style_dim] for a W direction, broadcast when applied).</summary>
    public Tensor Vector { get; }
    public string Source { get; }

    public static EditDirection Load(string path, DirectionNormalization normalization, string? name = null)
    {
        name ??= Path.GetFileNameWithoutExtension(path);
        using var raw = ReadFile(path);
        return FromTensor(name, raw, normalization, path);
    }

    /// <summary>The tensor of a direction file as stored (no reshaping, no normalisation).</summary>
    public static Tensor ReadFile(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".npy" => NpyFile.Read(path),
        ".safetensors" => SingleTensor(SafeTensorsFile.Read(path), path),
        ".pt" or ".pth" => SingleTensor(CheckpointReader.Read(path).StateDict, path),
        var ext => throw new CheckpointFormatException(path, $"direction files must be .npy, .pt or .safetensors, not '{ext}'"),
    };

    public static EditDirection FromTensor(string name, Tensor raw, DirectionNormalization normalization, string source = "memory")
    {
        using var scope = NewDisposeScope();
        var d = raw.to_type(ScalarType.Float64);
        if (d.dim() == 1) d = d.unsqueeze(0);
        if (d.dim() == 3 && d.shape[0] == 1) d = d[0];
        if (d.dim() != 2) throw new ArgumentException($"direction '{name}' ({source}) must be [n_latent,dim] or [1,dim], got {DTypes.ShapeText(raw.shape)}");
        if (!d.isfinite().all().item<bool>()) throw new ArgumentException($"direction '{name}' ({source}) holds NaN or infinite values");
        if (normalization == DirectionNormalization.Frobenius)
        {
            // d * d, not d.square(): square() passes a temporary Scalar that the GC may free mid-call (TorchSharp 0.107).
            var norm = (d * d).sum().sqrt();
            if (norm.item<double>() == 0) throw new ArgumentException($"direction '{name}' ({source}) is all zeros and cannot be normalised");
            d = d / norm;
        }
        return new EditDirection(name, d.to_type(ScalarType.Float32).MoveToOuterDisposeScope(), source);
    }

    /// <summary>w + strength · n, broadcast over the batch (and over layers for a W direction).</summary>
    public Tensor Apply(Tensor wPlus, double strength)
    {
        EditChain.CheckStrength(Name, strength);
        var n = Vector.to(wPlus.device);
        if (n.shape[0] != 1 && n.shape[0] != wPlus.shape[1])
            throw new ArgumentException($"direction '{Name}' has {n.shape[0]} layers but the latent has {wPlus.shape[1]}");
        if (n.shape[1] != wPlus.shape[2])
            throw new ArgumentException($"direction '{Name}' has width {n.shape[1]} but the latent has {wPlus.shape[2]}");
        using var s = strength.ToScalar();
        return wPlus.Plus(s * n.unsqueeze(0));
    }

    /// <summary>This direction on <paramref name="device"/>: a new direction, and this one disposed (a pack moving to
    /// its device keeps one copy).</summary>
    public EditDirection MoveTo(Device device)
    {
        try
        {
            return new EditDirection(Name, TensorCopy.DetachedFloat32CopyOn(Vector, device), Source);
        }
        finally
        {
            Dispose();
        }
    }

    static Tensor SingleTensor(StateDict sd, string path)
    {
        if (sd.Count != 1) throw new CheckpointFormatException(path, $"a direction file must hold exactly one tensor, found {sd.Count} ({string.Join(", ", sd.Keys.Take(5))})");
        return sd[sd.Keys[0]];
    }

    public void Dispose() => Vector.Dispose();
}
