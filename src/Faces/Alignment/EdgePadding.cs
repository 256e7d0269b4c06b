using Pipeline.Editing.Imaging;

namespace Pipeline.Faces.Alignment;

/// <summary>
/// The recipe's padding, for a quad that leaves the photo: the crop is mirrored outwards (numpy's 'reflect', edge pixel
/// not repeated) by (left, top, right, bottom), then, in float32 as the recipe computes it, blended towards its Gaussian
/// blur (σ = 0.02·qsize, scipy's gaussian_filter: radius round(4σ), edges mirrored with the edge pixel repeated, one pass
/// per axis in double stored back as float32) with weight clip(3m + 1, 0, 1), and towards its per-channel median with
/// weight clip(m, 0, 1), where m grows from −∞ inside to 1 at the padded edges; rounded half to even.
/// </summary>
internal static class EdgePadding
{
    public static RgbImage Apply(RgbImage crop, int left, int top, int right, int bottom, double blurSigma)
    {
        int w = crop.Width + left + right, h = crop.Height + top + bottom;
        var img = new float[3][];
        for (var c = 0; c < 3; c++)
        {
            img[c] = new float[w * h];
            for (var y = 0; y < h; y++)
            {
                var sy = Reflect(y - top, crop.Height);
                for (var x = 0; x < w; x++)
                    img[c][y * w + x] = crop.Rgb[3 * (sy * crop.Width + Reflect(x - left, crop.Width)) + c];
            }
        }
        var mask = new float[w * h];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var mx = 1.0f - MathF.Min((float)x / left, (float)(w - 1 - x) / right);
                var my = 1.0f - MathF.Min((float)y / top, (float)(h - 1 - y) / bottom);
                mask[y * w + x] = MathF.Max(mx, my);
            }
        var median = new float[3];
        for (var c = 0; c < 3; c++)
        {
            var blurred = GaussianBlur(img[c], w, h, blurSigma);
            var plane = img[c];
            for (var i = 0; i < plane.Length; i++)
                plane[i] += (blurred[i] - plane[i]) * Math.Clamp(mask[i] * 3.0f + 1.0f, 0.0f, 1.0f);
            median[c] = Median(plane);
        }
        var rgb = new byte[w * h * 3];
        for (var c = 0; c < 3; c++)
        {
            var plane = img[c];
            for (var i = 0; i < plane.Length; i++)
            {
                var v = plane[i] + (median[c] - plane[i]) * Math.Clamp(mask[i], 0.0f, 1.0f);
                rgb[3 * i + c] = (byte)Math.Clamp(MathF.Round(v, MidpointRounding.ToEven), 0, 255);
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /// <summary>numpy's 'reflect' padding index (…, 2, 1 | 0, 1, 2, …, n−1 | n−2, …), repeated for wide pads.</summary>
    internal static int Reflect(int i, int n)
    {
        if (n == 1)
            return 0;
        var period = 2 * (n - 1);
        i %= period;
        if (i < 0)
            i += period;
        return i < n ? i : period - i;
    }

    /// <summary>scipy's 'reflect' boundary (…, 1, 0 | 0, 1, …, n−1 | n−1, n−2, …).</summary>
    private static int Mirror(int i, int n)
    {
        var period = 2 * n;
        i %= period;
        if (i < 0)
            i += period;
        return i < n ? i : period - 1 - i;
    }

    private static float[] GaussianBlur(float[] plane, int w, int h, double sigma)
    {
        var radius = (int)(4.0 * sigma + 0.5);
        var kernel = new double[2 * radius + 1];
        var total = 0.0;
        for (var k = -radius; k <= radius; k++)
            total += kernel[k + radius] = Math.Exp(-0.5 / (sigma * sigma) * k * k);
        for (var k = 0; k < kernel.Length; k++)
            kernel[k] /= total;
        // Axis 0 (rows of the array: along y) first, then axis 1, as gaussian_filter walks the axes.
        var vertical = new float[plane.Length];
        var column = new double[h + 2 * radius];
        for (var x = 0; x < w; x++)
        {
            for (var i = -radius; i < h + radius; i++)
                column[i + radius] = plane[Mirror(i, h) * w + x];
            for (var y = 0; y < h; y++)
                vertical[y * w + x] = (float)Correlate(column, y + radius, kernel, radius);
        }
        var result = new float[plane.Length];
        var row = new double[w + 2 * radius];
        for (var y = 0; y < h; y++)
        {
            for (var i = -radius; i < w + radius; i++)
                row[i + radius] = vertical[y * w + Mirror(i, w)];
            for (var x = 0; x < w; x++)
                result[y * w + x] = (float)Correlate(row, x + radius, kernel, radius);
        }
        return result;
    }

    /// <summary>A symmetric kernel around <paramref name="centre"/>, summed as scipy sums it: centre first, then pairs.</summary>
    private static double Correlate(double[] line, int centre, double[] kernel, int radius)
    {
        var sum = line[centre] * kernel[radius];
        for (var k = 1; k <= radius; k++)
            sum += (line[centre + k] + line[centre - k]) * kernel[radius + k];
        return sum;
    }

    /// <summary>numpy's median of float32 values: the middle one, or the float32 mean of the two middle ones.</summary>
    private static float Median(float[] values)
    {
        var copy = (float[])values.Clone();
        Array.Sort(copy);
        var n = copy.Length;
        return n % 2 == 1 ? copy[n / 2] : (copy[n / 2 - 1] + copy[n / 2]) / 2f;
    }
}
