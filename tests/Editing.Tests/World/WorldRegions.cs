using Pipeline.Editing.Imaging;
using Pipeline.World.Rendering;

namespace Pipeline.Editing.Tests.World;

/// <summary>Where each attribute may plausibly change pixels, in canonical canvas units (256 wide), with helpers to
/// test masks against those boxes at any render size.</summary>
static class WorldRegions
{
    public static readonly IReadOnlyDictionary<string, (float X0, float Y0, float X1, float Y1)> Boxes = new Dictionary<string, (float, float, float, float)>
    {
        ["smile"] = (92, 158, 164, 208),
        ["mouth_open"] = (92, 158, 164, 208),
        ["eyeglasses"] = (54, 94, 202, 142),
        ["beard"] = (54, 118, 202, 236),
        ["bushy_eyebrows"] = (76, 80, 180, 108),
        ["narrow_eyes"] = (76, 102, 180, 136),
        ["old"] = (30, 16, 226, 250),
    };

    /// <summary>Pixels of <paramref name="mask"/> outside the box (one pixel of slack for antialiasing).</summary>
    public static int Outside(bool[] mask, int size, (float X0, float Y0, float X1, float Y1) box)
    {
        float k = size / FaceLayout.Canvas;
        int outside = 0;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                if (mask[y * size + x] && (x + 1 < box.X0 * k || x > box.X1 * k + 1 || y + 1 < box.Y0 * k || y > box.Y1 * k + 1)) outside++;
        return outside;
    }

    public static bool[] White(RgbImage image) => Enumerable.Range(0, image.Width * image.Height).Select(i => image.Rgb[3 * i] == 255).ToArray();

    /// <summary>Keeps a pixel only if its 3 × 3 neighbourhood is all set: the occluder's interior, without the rim where
    /// half-covered pixels still blend in what is behind.</summary>
    public static bool[] Erode(bool[] mask, int size)
    {
        var inner = new bool[mask.Length];
        for (int y = 1; y < size - 1; y++)
            for (int x = 1; x < size - 1; x++)
            {
                bool all = true;
                for (int dy = -1; dy <= 1 && all; dy++)
                    for (int dx = -1; dx <= 1 && all; dx++) all = mask[(y + dy) * size + x + dx];
                inner[y * size + x] = all;
            }
        return inner;
    }

    public static int Count(bool[] mask) => mask.Count(m => m);
}
