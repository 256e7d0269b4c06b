using SkiaSharp;

namespace Pipeline.Editing.Imaging;

/// <summary>
/// The EXIF orientation (1–8) as a map from a displayed pixel to the stored pixel it shows. The reader decodes (and
/// crops or reduces) in the stored frame and turns only the small result upright, so one map serves the centre crop's
/// rectangle and the final turn.
/// </summary>
public static class ImageOrientation
{
    public static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>The stored pixel (x, y) of a <paramref name="width"/>×<paramref name="height"/> stored image that the
    /// displayed pixel (dx, dy) shows.</summary>
    public static (int X, int Y) ToStored(SKEncodedOrigin origin, int dx, int dy, int width, int height) => origin switch
    {
        SKEncodedOrigin.TopRight => (width - 1 - dx, dy),                  // mirrored left to right
        SKEncodedOrigin.BottomRight => (width - 1 - dx, height - 1 - dy),  // turned 180°
        SKEncodedOrigin.BottomLeft => (dx, height - 1 - dy),               // mirrored top to bottom
        SKEncodedOrigin.LeftTop => (dy, dx),                               // transposed
        SKEncodedOrigin.RightTop => (dy, height - 1 - dx),                 // turned 90° clockwise to display
        SKEncodedOrigin.RightBottom => (width - 1 - dy, height - 1 - dx),  // transverse
        SKEncodedOrigin.LeftBottom => (width - 1 - dy, dx),                // turned 90° counter-clockwise to display
        _ => (dx, dy),
    };

    /// <summary>The stored rectangle that shows the displayed rectangle (left, top, w, h).</summary>
    public static SKRectI ToStored(SKEncodedOrigin origin, SKRectI displayed, int width, int height)
    {
        var a = ToStored(origin, displayed.Left, displayed.Top, width, height);
        var b = ToStored(origin, displayed.Right - 1, displayed.Bottom - 1, width, height);
        return new SKRectI(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Max(a.X, b.X) + 1, Math.Max(a.Y, b.Y) + 1);
    }

    /// <summary>The stored image turned upright.</summary>
    public static RgbImage Upright(RgbImage stored, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft) return stored;
        bool swap = SwapsAxes(origin);
        int w = swap ? stored.Height : stored.Width, h = swap ? stored.Width : stored.Height;
        var rgb = new byte[checked(w * h * 3)];
        for (int dy = 0; dy < h; dy++)
            for (int dx = 0; dx < w; dx++)
            {
                var (x, y) = ToStored(origin, dx, dy, stored.Width, stored.Height);
                int s = 3 * (y * stored.Width + x), d = 3 * (dy * w + dx);
                rgb[d] = stored.Rgb[s]; rgb[d + 1] = stored.Rgb[s + 1]; rgb[d + 2] = stored.Rgb[s + 2];
            }
        return new RgbImage(w, h, rgb);
    }
}
