using static TorchSharp.torch;

namespace Pipeline.Editing.Metrics.Inception;

/// <summary>
/// PIL's <c>Image.resize(size, BICUBIC)</c> on float images, written as two matrix products: for each output pixel
/// the input window is centred at (i + 0.5)·scale, the cubic kernel (a = −0.5) is stretched by max(scale, 1) so that a
/// downscale averages over every input pixel it covers (antialiasing), and the weights are normalised to sum to 1.
/// Weights are computed in float64 as PIL does; the products run in float64 too.
/// </summary>
public static class PilBicubicResize
{
    /// <summary>Keys' cubic convolution parameter PIL uses.</summary>
    const double A = -0.5;
    const double Support = 2.0;

    /// <summary>x [B,C,H,W] → [B,C,height,width] (float32), each channel resampled on its own.</summary>
    public static Tensor Resize(Tensor x, long height, long width)
    {
        if (x.dim() != 4) throw new ArgumentException($"expected images [B,C,H,W], got [{string.Join(",", x.shape)}]");
        using var scope = NewDisposeScope();
        var wv = Weights(x.shape[2], height);   // [height, H]
        var wh = Weights(x.shape[3], width);    // [width, W]
        var y = wv.matmul(x.to_type(ScalarType.Float64)).matmul(wh.t());
        return y.to_type(x.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The [outSize, inSize] resampling matrix along one axis (PIL <c>precompute_coeffs</c>).</summary>
    public static Tensor Weights(long inSize, long outSize)
    {
        if (inSize <= 0 || outSize <= 0) throw new ArgumentException($"sizes must be positive, got {inSize} → {outSize}");
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = Support * filterScale;
        var w = new double[outSize * inSize];
        for (long i = 0; i < outSize; i++)
        {
            double center = (i + 0.5) * scale;
            long xmin = Math.Max(0, (long)(center - support + 0.5));
            long xmax = Math.Min(inSize, (long)(center + support + 0.5));
            double total = 0;
            for (long j = xmin; j < xmax; j++) total += Cubic((j - center + 0.5) / filterScale);
            for (long j = xmin; j < xmax; j++)
                w[i * inSize + j] = total == 0 ? 0 : Cubic((j - center + 0.5) / filterScale) / total;
        }
        return tensor(w, [outSize, inSize]);
    }

    static double Cubic(double x)
    {
        x = Math.Abs(x);
        if (x < 1) return ((A + 2) * x - (A + 3)) * x * x + 1;
        if (x < 2) return (((x - 5) * x + 8) * x - 4) * A;
        return 0;
    }
}
