using Pipeline.Editing.Imaging;

namespace Pipeline.Faces.Alignment;

/// <summary>
/// The recipe's shrink: Pillow's Lanczos resize (a = 3, support widened by the scale) of the whole image to
/// round(W/shrink)×round(H/shrink), with Pillow's 8-bit arithmetic (coefficients in 22-bit fixed point, a horizontal pass
/// rounded to 8 bits, then a vertical one), computed only for a window of the result: the recipe crops right after, so
/// a 12 MP photo never has to be resampled whole.
/// </summary>
internal static class LanczosResize
{
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Pixels [x0, x1) × [y0, y1) of <paramref name="image"/> resized to <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static RgbImage Window(RgbImage image, int width, int height, int x0, int y0, int x1, int y1)
    {
        var horizontal = Coefficients(image.Width, width, x0, x1);
        var vertical = Coefficients(image.Height, height, y0, y1);
        int rowFirst = vertical.Min(c => c.First), rowLast = vertical.Max(c => c.First + c.Weights.Length);
        int w = x1 - x0, h = y1 - y0;
        // Horizontal pass over the source rows the vertical pass reads.
        var rows = new byte[(rowLast - rowFirst) * w * 3];
        var src = image.Rgb;
        for (var y = rowFirst; y < rowLast; y++)
        {
            var srcRow = y * image.Width * 3;
            var dstRow = (y - rowFirst) * w * 3;
            for (var x = 0; x < w; x++)
            {
                var (first, weights) = horizontal[x];
                int r = 1 << (PrecisionBits - 1), g = r, b = r;
                for (var k = 0; k < weights.Length; k++)
                {
                    var i = srcRow + (first + k) * 3;
                    r += src[i] * weights[k];
                    g += src[i + 1] * weights[k];
                    b += src[i + 2] * weights[k];
                }
                rows[dstRow + 3 * x] = Clip8(r);
                rows[dstRow + 3 * x + 1] = Clip8(g);
                rows[dstRow + 3 * x + 2] = Clip8(b);
            }
        }
        var output = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
        {
            var (first, weights) = vertical[y];
            for (var x = 0; x < w * 3; x++)
            {
                var sum = 1 << (PrecisionBits - 1);
                for (var k = 0; k < weights.Length; k++)
                    sum += rows[((first - rowFirst + k) * w * 3) + x] * weights[k];
                output[y * w * 3 + x] = Clip8(sum);
            }
        }
        return new RgbImage(w, h, output);
    }

    /// <summary>Per output position in [from, to): the first input index and the fixed-point weights (Pillow's
    /// precompute_coeffs and normalize_coeffs_8bpc).</summary>
    private static (int First, int[] Weights)[] Coefficients(int inSize, int outSize, int from, int to)
    {
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = 3.0 * filterScale;
        var result = new (int, int[])[to - from];
        for (var xx = from; xx < to; xx++)
        {
            var center = (xx + 0.5) * scale;
            var ss = 1.0 / filterScale;
            var xmin = Math.Max((int)(center - support + 0.5), 0);
            var xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            var weights = new double[xmax];
            var total = 0.0;
            for (var x = 0; x < xmax; x++)
            {
                weights[x] = Lanczos((x + xmin - center + 0.5) * ss);
                total += weights[x];
            }
            var fixedPoint = new int[xmax];
            for (var x = 0; x < xmax; x++)
            {
                var w = total != 0.0 ? weights[x] / total : weights[x];
                fixedPoint[x] = (int)(w < 0 ? -0.5 + w * (1 << PrecisionBits) : 0.5 + w * (1 << PrecisionBits));
            }
            result[xx - from] = (xmin, fixedPoint);
        }
        return result;
    }

    private static double Lanczos(double x) => x is >= -3.0 and < 3.0 ? Sinc(x) * Sinc(x / 3) : 0.0;

    private static double Sinc(double x)
    {
        if (x == 0.0)
            return 1.0;
        x *= Math.PI;
        return Math.Sin(x) / x;
    }

    private static byte Clip8(int value)
    {
        var v = value >> PrecisionBits;
        return (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
}
