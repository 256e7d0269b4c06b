using Pipeline.Editing.Imaging;

namespace Pipeline.Faces.Tests.Support;

/// <summary>The derived cases of tests/fixtures/faces/oracle/dlib_oracle.cpp, in the same integer arithmetic, so that the
/// oracle's numbers apply to them byte for byte (<see cref="Fnv1a64"/> checks it).</summary>
public static class DerivedPhotos
{
    public static readonly string[] Cases = ["original", "mirrored", "tilted", "half", "double", "edge", "canvas"];

    public static RgbImage Make(RgbImage photo, string name) => name switch
    {
        "original" => photo,
        "mirrored" => Build(photo.Width, photo.Height, (x, y) => (photo.Width - 1 - x, y), photo),
        "tilted" => Tilted(photo),
        "half" => Half(photo),
        "double" => Build(photo.Width * 2, photo.Height * 2, (x, y) => (x / 2, y / 2), photo),
        "edge" => Build(photo.Width - 140, photo.Height - 60, (x, y) => (x + 140, y + 60), photo),
        "canvas" => Canvas(Make(photo, "double")),
        _ => throw new ArgumentException($"no derived case {name}"),
    };

    public static string Fnv1a64(RgbImage image)
    {
        var hash = 1469598103934665603UL;
        foreach (var b in image.Rgb)
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash.ToString("x");
    }

    private static RgbImage Build(int width, int height, Func<int, int, (int X, int Y)> source, RgbImage photo)
    {
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var (sx, sy) = source(x, y);
                Array.Copy(photo.Rgb, 3 * (sy * photo.Width + sx), rgb, 3 * (y * width + x), 3);
            }
        return new RgbImage(width, height, rgb);
    }

    private static RgbImage Tilted(RgbImage photo)
    {
        int w = photo.Width, h = photo.Height, cx = w / 2, cy = h / 2;
        var rgb = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                int dx = x - cx, dy = y - cy;
                var sx = cx + FloorDiv(220 * dx - 21 * dy + 110, 221);
                var sy = cy + FloorDiv(21 * dx + 220 * dy + 110, 221);
                var o = 3 * (y * w + x);
                if (sx >= 0 && sx < w && sy >= 0 && sy < h)
                    Array.Copy(photo.Rgb, 3 * (sy * w + sx), rgb, o, 3);
                else
                    rgb[o] = rgb[o + 1] = rgb[o + 2] = 128;
            }
        return new RgbImage(w, h, rgb);
    }

    private static RgbImage Half(RgbImage photo)
    {
        int w = photo.Width / 2, h = photo.Height / 2;
        var rgb = new byte[w * h * 3];
        var p = photo.Rgb;
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
                for (var c = 0; c < 3; c++)
                {
                    int a = p[3 * ((2 * y) * photo.Width + 2 * x) + c], b = p[3 * ((2 * y) * photo.Width + 2 * x + 1) + c];
                    int d = p[3 * ((2 * y + 1) * photo.Width + 2 * x) + c], e = p[3 * ((2 * y + 1) * photo.Width + 2 * x + 1) + c];
                    rgb[3 * (y * w + x) + c] = (byte)((a + b + d + e + 2) / 4);
                }
        return new RgbImage(w, h, rgb);
    }

    private static RgbImage Canvas(RgbImage photo)
    {
        const int width = 4000, height = 3000;
        var rgb = new byte[width * height * 3];
        Array.Fill(rgb, (byte)128);
        for (var y = 0; y < photo.Height; y++)
            Array.Copy(photo.Rgb, 3 * y * photo.Width, rgb, 3 * ((300 + y) * width + 2600), 3 * photo.Width);
        return new RgbImage(width, height, rgb);
    }

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
