using Pipeline.Editing.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Training;

/// <summary>
/// PCA of latent codes (GANSpace, Härkönen et al. 2020): the eigenvectors of the sample covariance with the largest
/// eigenvalues, in float64. Each component's sign is fixed so that its largest-magnitude entry is positive, so the same
/// samples always give the same files.
/// </summary>
/// <param name="Components">[K,D], unit rows, by decreasing variance</param>
/// <param name="Variance">the variance along each component (its eigenvalue)</param>
/// <param name="Ratio">each variance over the total variance of the samples</param>
public sealed record PrincipalComponents(Tensor Mean, Tensor Components, double[] Variance, double[] Ratio) : IDisposable
{
    /// <summary>samples [N,D] → the first <paramref name="count"/> components.</summary>
    public static PrincipalComponents Fit(Tensor samples, int count)
    {
        if (samples.dim() != 2) throw new ArgumentException($"PCA needs samples [N,D], got [{string.Join(",", samples.shape)}]");
        long n = samples.shape[0], d = samples.shape[1];
        if (n < 2) throw new ArgumentException($"PCA needs at least two samples, got {n}");
        if (count < 1 || count > d) throw new ArgumentException($"--count must be 1..{d} (the width of the codes), got {count}");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = samples.to_type(ScalarType.Float64);
        var mean = x.mean([0]);
        var centred = x - mean;
        using Scalar dof = n - 1;
        var covariance = centred.t().matmul(centred) / dof;                          // [D,D]
        var (values, vectors) = linalg.eigh(covariance);                            // ascending
        var order = tensor(Enumerable.Range(0, count).Select(i => d - 1 - i).ToArray());    // largest first
        var top = vectors.index_select(1, order).t();                               // [K,D]
        var signs = top.gather(1, top.abs().argmax(1, keepdim: true)).sign();       // [K,1]
        top = top * signs;
        double total = values.clamp_min(Scalars.Zero).sum().item<double>();
        var variance = values.index_select(0, order).clamp_min(Scalars.Zero).data<double>().ToArray();
        var ratio = variance.Select(v => total > 0 ? v / total : 0).ToArray();
        return new PrincipalComponents(mean.MoveToOuterDisposeScope(), top.contiguous().MoveToOuterDisposeScope(), variance, ratio);
    }

    public void Dispose()
    {
        Mean.Dispose();
        Components.Dispose();
    }
}
