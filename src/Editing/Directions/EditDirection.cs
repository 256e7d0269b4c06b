using static TorchSharp.torch;

namespace Pipeline.Editing.Directions;

/// <summary>
/// An attribute edit direction in W+ (<c>directions/*.npy</c>, float64 <c>[n_latent,512]</c>), normalised as the
/// official pipeline does: divided by its Frobenius norm over all entries in float64, then cast to float32.
/// </summary>
public static class EditDirection
{
    /// <summary>The float32 unit direction <c>[1,n_latent,dim]</c> from float64 values <c>[n_latent,dim]</c>.</summary>
    public static Tensor FrobeniusNormalized(Tensor direction)
    {
        if (direction.dim() != 2) throw new ArgumentException($"edit direction must be [n_latent,dim], got [{string.Join(",", direction.shape)}]", nameof(direction));
        using var scope = NewDisposeScope();
        var d = direction.to_type(ScalarType.Float64);
        var norm = d.square().sum().sqrt();
        if (norm.item<double>() == 0) throw new ArgumentException("edit direction is all zeros and cannot be normalised", nameof(direction));
        return (d / norm).to_type(ScalarType.Float32).unsqueeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>The edited code <c>latent + alpha · direction</c> (paper: w' = w + α·n).</summary>
    public static Tensor Apply(Tensor latent, Tensor unitDirection, double alpha)
    {
        using var scope = NewDisposeScope();
        return (latent + unitDirection * alpha).MoveToOuterDisposeScope();
    }
}
