using Pipeline.Editing.Imaging;

namespace Pipeline.World;

/// <summary>The true change mask of an edit: pixels where any channel of the two renders differs by more than
/// <see cref="Tolerance"/>. The tolerance only absorbs antialiasing differences along edges that both images share.</summary>
public static class ChangeMask
{
    /// <summary>8/255: far below any drawn colour contrast, above edge-coverage rounding.</summary>
    public const int Tolerance = 8;

    public static bool[] Compute(RgbImage a, RgbImage b)
    {
        if (a.Width != b.Width || a.Height != b.Height)
            throw new ArgumentException($"change mask needs equal sizes, got {a.Width}x{a.Height} and {b.Width}x{b.Height}");
        var mask = new bool[a.Width * a.Height];
        var x = a.Rgb;
        var y = b.Rgb;
        for (int i = 0; i < mask.Length; i++)
            mask[i] = Math.Abs(x[3 * i] - y[3 * i]) > Tolerance
                || Math.Abs(x[3 * i + 1] - y[3 * i + 1]) > Tolerance
                || Math.Abs(x[3 * i + 2] - y[3 * i + 2]) > Tolerance;
        return mask;
    }

    /// <summary>White = changed, black = unchanged.</summary>
    public static RgbImage ToImage(bool[] mask, int width, int height)
    {
        if (mask.Length != width * height) throw new ArgumentException($"mask has {mask.Length} pixels, expected {width}x{height}");
        var rgb = new byte[mask.Length * 3];
        for (int i = 0; i < mask.Length; i++)
            if (mask[i]) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = 255;
        return new RgbImage(width, height, rgb);
    }
}
