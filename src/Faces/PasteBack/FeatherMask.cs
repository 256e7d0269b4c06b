using Pipeline.Editing.Imaging;

namespace Pipeline.Faces.PasteBack;

/// <summary>
/// How much of an edited face replaces the photo at each point of the aligned square: 1 inside, easing to 0 over the
/// outer <see cref="Feather"/> of the side (smoothstep of the distance to the nearest edge), so no seam shows where the
/// face's resampled pixels meet the photo's own.
/// </summary>
public sealed record FeatherMask(double Feather = 0.1)
{
    /// <summary>The weight at (<paramref name="u"/>, <paramref name="v"/>) of a <paramref name="size"/>² face, pixel edges at integers.</summary>
    public double Weight(double u, double v, int size)
    {
        var d = Math.Min(Math.Min(u, size - u), Math.Min(v, size - v));
        if (d <= 0)
            return 0;
        var t = Math.Min(d / (Feather * size), 1.0);
        return t * t * (3 - 2 * t);
    }

    /// <summary>The mask as a grey image of the aligned face's size.</summary>
    public RgbImage Render(int size)
    {
        var rgb = new byte[size * size * 3];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var level = (byte)Math.Round(255 * Weight(x + 0.5, y + 0.5, size));
                rgb[3 * (y * size + x)] = rgb[3 * (y * size + x) + 1] = rgb[3 * (y * size + x) + 2] = level;
            }
        return new RgbImage(size, size, rgb);
    }
}
