using static TorchSharp.torch;
using Pipeline.Editing.Runtime;
using TorchSharp;

namespace Pipeline.Editing.Metrics.Fid;

/// <summary>When the distance adds ε·I to both covariances, as pytorch-fid's retry does.</summary>
public enum FrechetEpsOffset
{
    /// <summary>
    /// Where pytorch-fid takes its retry because scipy's Schur-based <c>sqrtm</c> breaks down (see
    /// <see cref="FrechetDistance.SchurSqrtmBreaksDown"/>): then both sigmas get ε·I. Also taken if the eigenvalues come
    /// out non-finite.
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
/// the same spectrum as S1·S2 (or of Lᵀ·S2·L with S1 = L·Lᵀ when S1 is positive definite); symmetric factorisations
/// replace scipy's Schur-based <c>sqrtm</c>, and they do not break down on singular covariances (docs/metrics.md).
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
            _ => SchurSqrtmBreaksDown(s1, s2),
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

    /// <summary>
    /// tr(sqrt(A·B)) for symmetric PSD A and B: Σ √λ(Rᵀ·B·R) for any R with A = R·Rᵀ, since Rᵀ·B·R is similar to A·B.
    /// R is the Cholesky factor when A is positive definite (a real data set with N > D: the cheap path), else the
    /// PSD square root from an eigendecomposition (N ≤ D, constant features).
    /// </summary>
    public static double TraceSqrtProduct(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var (l, info) = linalg.cholesky_ex(a.Plus(a.t()) / Scalars.Two);
        var r = info.item<int>() == 0 && l.isfinite().all().item<bool>() ? l : SymmetricSqrt(a);
        var m = r.t().matmul(b).matmul(r);
        m = m.Plus(m.t()) / Scalars.Two;
        var lambda = linalg.eigvalsh(m);
        return Clip(lambda).sqrt().sum().item<double>();
    }

    /// <summary>The PSD square root V·diag(√λ)·Vᵀ of a symmetric matrix, negative (rounding) eigenvalues taken as 0.</summary>
    public static Tensor SymmetricSqrt(Tensor s)
    {
        using var scope = NewDisposeScope();
        var (lambda, v) = linalg.eigh(s.Plus(s.t()) / Scalars.Two);
        var root = Clip(lambda).sqrt();
        return (v * root.unsqueeze(0)).matmul(v.t()).MoveToOuterDisposeScope();
    }

    static Tensor Clip(Tensor lambda)
    {
        double max = lambda.abs().max().item<double>();
        using Scalar floor = max * lambda.shape[0] * NoiseFloor;
        return lambda.where(lambda > floor, zeros_like(lambda));
    }

    static Tensor Offset(Tensor s, double eps)
    {
        using Scalar e = eps;
        return s.Plus(eye(s.shape[0], dtype: ScalarType.Float64) * e);
    }

    /// <summary>scipy's <c>sqrtm</c> default blocksize: the recurrence that can break down runs inside these blocks.</summary>
    public const int ScipySqrtmBlockSize = 64;

    /// <summary>
    /// Whether scipy's <c>sqrtm(S1·S2)</c> returns NaN through its exact-zero structure. A feature constant in set 1
    /// only gives S1·S2 an exact zero row i, one constant in set 2 only an exact zero column j; LAPACK's balancing
    /// isolates them as exact zero eigenvalues at the bottom and the top of the Schur form. Inside one diagonal block of
    /// scipy's blocked recurrence (blocksize 64), a non-zero coupling (S1·S2)[j,i] is then divided by 0 + 0 and scipy
    /// gives up; between blocks a Sylvester solver takes over, which does not fail, and the trace (the diagonal) is
    /// unaffected. So the breakdown needs such a coupled pair and a matrix small enough (or with enough constant features)
    /// that the top and the bottom share a block. A feature constant in both sets, or rank deficiency without constant
    /// features (N &lt; D), breaks nothing. Breakdowns that depend on rounding inside the Schur factorisation cannot be
    /// reproduced; there the two values differ by O(√ε) along the null directions (5.5e-5 relative in the fixture).
    /// </summary>
    public static bool SchurSqrtmBreaksDown(Tensor sigma1, Tensor sigma2)
    {
        using var scope = NewDisposeScope();
        var dead1 = sigma1.diagonal() == Scalars.Zero;
        var dead2 = sigma2.diagonal() == Scalars.Zero;
        var zeroRows = (dead1 & dead2.logical_not()).nonzero().flatten();
        var zeroCols = (dead2 & dead1.logical_not()).nonzero().flatten();
        long n = sigma1.shape[0], top = zeroCols.numel(), bottom = zeroRows.numel();
        if (top == 0 || bottom == 0) return false;
        if (ScipyBlockOf(top - 1, n) < ScipyBlockOf(n - bottom, n)) return false;
        var coupling = sigma1.index_select(0, zeroCols).matmul(sigma2.index_select(1, zeroRows));   // (S1·S2)[j,i]
        return (coupling != Scalars.Zero).any().item<bool>();
    }

    /// <summary>The block of scipy's <c>_sqrtm_triu</c> that holds row <paramref name="position"/>: small blocks first.</summary>
    static long ScipyBlockOf(long position, long n)
    {
        long blocks = Math.Max(n / ScipySqrtmBlockSize, 1);
        long small = n / blocks, large = small + 1, smallCount = blocks - n % blocks;
        return position < smallCount * small ? position / small : smallCount + (position - smallCount * small) / large;
    }
}
