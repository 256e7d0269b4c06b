using static TorchSharp.torch;

namespace Pipeline.Editing.Metrics.Fid;

/// <summary>When the distance adds ε·I to both covariances, as pytorch-fid's retry does.</summary>
public enum FrechetEpsOffset
{
    /// <summary>
    /// Where pytorch-fid takes its retry: scipy's Schur-based <c>sqrtm</c> breaks down (returns NaN) when a covariance
    /// has an exactly constant feature (a zero row and column), so then both sigmas get ε·I. Also taken if the
    /// eigenvalues come out non-finite.
    /// </summary>
    AsPytorchFid,
    /// <summary>Never: the exact distance of the given covariances.</summary>
    Never,
    /// <summary>Always add ε·I.</summary>
    Always,
}

/// <summary>The distance and its parts (all float64).</summary>
public sealed record FrechetResult(double Value, double MeanTerm, double TraceSigma1, double TraceSigma2, double TraceCovMean, bool UsedEpsOffset);

/// <summary>
/// The Fréchet distance between two Gaussians, as pytorch-fid's <c>calculate_frechet_distance</c>:
/// d² = |mu1 − mu2|² + tr(S1) + tr(S2) − 2·tr(sqrt(S1·S2)), in float64.
/// tr(sqrt(S1·S2)) is the sum of √λ over the eigenvalues of the symmetric PSD matrix sqrt(S1)·S2·sqrt(S1), which has
/// the same spectrum as S1·S2; two symmetric eigendecompositions replace scipy's Schur-based <c>sqrtm</c>, and they do
/// not break down on singular covariances (at most 2048 features: about a second for 2048², see docs/metrics.md).
/// </summary>
public static class FrechetDistance
{
    /// <summary>pytorch-fid's <c>eps</c> for the retry.</summary>
    public const double PytorchFidEps = 1e-6;

    /// <summary>
    /// Eigenvalues below this fraction of the largest (times the dimension) are rounding noise of exact zeros: the
    /// covariances of N &lt; D samples have D − N + 1 of them, and √noise summed over thousands would bias the trace.
    /// </summary>
    const double NoiseFloor = 2.220446049250313e-16;

    public static FrechetResult Compute(Tensor mu1, Tensor sigma1, Tensor mu2, Tensor sigma2,
        FrechetEpsOffset offset = FrechetEpsOffset.AsPytorchFid, double eps = PytorchFidEps)
    {
        long d = mu1.shape[0];
        if (mu1.dim() != 1 || !mu2.shape.SequenceEqual(mu1.shape))
            throw new ArgumentException($"means must be two vectors of one length, got [{string.Join(",", mu1.shape)}] and [{string.Join(",", mu2.shape)}]");
        if (!sigma1.shape.SequenceEqual([d, d]) || !sigma2.shape.SequenceEqual([d, d]))
            throw new ArgumentException($"covariances must be [{d},{d}], got [{string.Join(",", sigma1.shape)}] and [{string.Join(",", sigma2.shape)}]");
        using var scope = NewDisposeScope();
        var m1 = mu1.to_type(ScalarType.Float64);
        var m2 = mu2.to_type(ScalarType.Float64);
        var s1 = sigma1.to_type(ScalarType.Float64);
        var s2 = sigma2.to_type(ScalarType.Float64);

        var diff = m1 - m2;
        double meanTerm = diff.dot(diff).item<double>();
        double tr1 = s1.trace().item<double>();
        double tr2 = s2.trace().item<double>();

        bool useEps = offset switch
        {
            FrechetEpsOffset.Always => true,
            FrechetEpsOffset.Never => false,
            _ => HasConstantFeature(s1) || HasConstantFeature(s2),
        };
        double trCov = useEps ? TraceSqrtProduct(Offset(s1, eps), Offset(s2, eps)) : TraceSqrtProduct(s1, s2);
        if (!double.IsFinite(trCov) && offset == FrechetEpsOffset.AsPytorchFid && !useEps)
        {
            useEps = true;
            trCov = TraceSqrtProduct(Offset(s1, eps), Offset(s2, eps));
        }
        if (!double.IsFinite(trCov)) throw new ArithmeticException("the covariance product has non-finite eigenvalues (are the features finite?)");
        return new FrechetResult(meanTerm + tr1 + tr2 - 2 * trCov, meanTerm, tr1, tr2, trCov, useEps);
    }

    /// <summary>tr(sqrt(A·B)) for symmetric PSD A and B: Σ √λ(sqrt(A)·B·sqrt(A)).</summary>
    public static double TraceSqrtProduct(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var rootA = SymmetricSqrt(a);
        var m = rootA.matmul(b).matmul(rootA);
        m = (m + m.t()) / 2;
        var lambda = linalg.eigvalsh(m);
        return Clip(lambda).sqrt().sum().item<double>();
    }

    /// <summary>The PSD square root V·diag(√λ)·Vᵀ of a symmetric matrix, negative (rounding) eigenvalues taken as 0.</summary>
    public static Tensor SymmetricSqrt(Tensor s)
    {
        using var scope = NewDisposeScope();
        var (lambda, v) = linalg.eigh((s + s.t()) / 2);
        var root = Clip(lambda).sqrt();
        return (v * root.unsqueeze(0)).matmul(v.t()).MoveToOuterDisposeScope();
    }

    static Tensor Clip(Tensor lambda)
    {
        double max = lambda.abs().max().item<double>();
        double floor = max * lambda.shape[0] * NoiseFloor;
        return lambda.where(lambda > floor, zeros_like(lambda));
    }

    static Tensor Offset(Tensor s, double eps) => s + eye(s.shape[0], dtype: ScalarType.Float64) * eps;

    /// <summary>A feature that never varies gives an exact zero variance (and so a zero row and column).</summary>
    static bool HasConstantFeature(Tensor s) => (s.diagonal() == 0).any().item<bool>();
}
