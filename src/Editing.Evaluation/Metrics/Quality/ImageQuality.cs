using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Pipeline.Editing.Runtime;
using TorchSharp;

namespace Pipeline.Editing.Metrics.Quality;

/// <summary>
/// PSNR and SSIM per image, for images in [0,1] (data range 1).
/// SSIM is Wang et al. (2004) with their constants: an 11×11 Gaussian window of σ = 1.5, K1 = 0.01, K2 = 0.03,
/// computed per channel over the valid region (no padding) and averaged over pixels and channels — what
/// <c>pytorch_msssim.ssim(data_range=1)</c> and scikit-image's <c>structural_similarity(gaussian_weights=True,
/// sigma=1.5, use_sample_covariance=False, data_range=1)</c> compute.
/// </summary>
public static class ImageQuality
{
    public const int SsimWindow = 11;
    public const double SsimSigma = 1.5;
    public const double SsimK1 = 0.01;
    public const double SsimK2 = 0.03;
    /// <summary>PSNR of identical images is infinite; it is reported as this many dB so that means stay finite.</summary>
    public const double MaxPsnr = 100.0;
    static readonly Scalar MseFloor = Math.Pow(10, -MaxPsnr / 10), MinusTen = -10;

    /// <summary>10·log10(1/MSE) per image [B], capped at <see cref="MaxPsnr"/>.</summary>
    public static Tensor Psnr(Tensor a, Tensor b)
    {
        CheckPair(a, b);
        using var scope = NewDisposeScope();
        var mse = (a.to_type(ScalarType.Float64) - b.to_type(ScalarType.Float64)).pow(Scalars.Two).mean([1, 2, 3]);
        var psnr = mse.clamp_min(MseFloor).log10() * MinusTen;
        return psnr.MoveToOuterDisposeScope();
    }

    /// <summary>Mean SSIM per image [B] (float64).</summary>
    public static Tensor Ssim(Tensor a, Tensor b)
    {
        CheckPair(a, b);
        if (a.shape[2] < SsimWindow || a.shape[3] < SsimWindow)
            throw new ArgumentException($"SSIM needs images of at least {SsimWindow}×{SsimWindow} pixels, got {a.shape[2]}×{a.shape[3]}");
        using var scope = NewDisposeScope();
        var x = a.to_type(ScalarType.Float64);
        var y = b.to_type(ScalarType.Float64);
        long channels = x.shape[1];
        var g = Gaussian1d();
        Tensor Filter(Tensor t)
        {
            var h = functional.conv2d(t, g.reshape(1, 1, 1, SsimWindow).expand(channels, 1, 1, SsimWindow), groups: channels);
            return functional.conv2d(h, g.reshape(1, 1, SsimWindow, 1).expand(channels, 1, SsimWindow, 1), groups: channels);
        }
        using Scalar c1 = SsimK1 * SsimK1, c2 = SsimK2 * SsimK2;
        var mx = Filter(x);
        var my = Filter(y);
        var sxx = Filter(x * x) - mx * mx;
        var syy = Filter(y * y) - my * my;
        var sxy = Filter(x * y) - mx * my;
        var map = (Scalars.Two * mx * my).Plus(c1) * (Scalars.Two * sxy).Plus(c2) / ((mx * mx).Plus(my * my).Plus(c1) * sxx.Plus(syy).Plus(c2));
        return map.mean([1, 2, 3]).MoveToOuterDisposeScope();
    }

    static Tensor Gaussian1d()
    {
        var k = new double[SsimWindow];
        int half = SsimWindow / 2;
        for (int i = 0; i < SsimWindow; i++) k[i] = Math.Exp(-((i - half) * (i - half)) / (2 * SsimSigma * SsimSigma));
        double total = k.Sum();
        return tensor(k.Select(v => v / total).ToArray());
    }

    static void CheckPair(Tensor a, Tensor b)
    {
        if (a.dim() != 4 || !a.shape.SequenceEqual(b.shape))
            throw new ArgumentException($"expected two image batches [B,C,H,W] of one shape, got [{string.Join(",", a.shape)}] and [{string.Join(",", b.shape)}]");
    }
}
