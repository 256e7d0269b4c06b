using Pipeline.Editing.Imaging;
using Pipeline.World.Scenes;
using SkiaSharp;

namespace Pipeline.World.Rendering;

/// <summary>Draws a <see cref="SceneSpec"/> with SkiaSharp on the canonical 256-unit canvas scaled to the requested
/// size. Stateless: every call owns its bitmap, paints and paths, so calls may run in parallel.</summary>
public static class FaceRenderer
{
    public const int MinSize = 64;
    /// <summary>Bumped whenever a change alters any rendered pixel, so stored datasets can tell they are stale.</summary>
    public const string Version = "world-1";
    const byte MaskThreshold = 128;

    public static RgbImage Render(SceneSpec s, int size) => Draw(size, new SKColor(0, 0, 0), canvas =>
    {
        using var face = new FaceLayout(s.Face);
        BackgroundPainter.Paint(canvas, s.Background);
        HeadPainter.Shoulders(canvas, s.Clothing, face);
        HairPainter.Back(canvas, s, face);
        HeadPainter.Neck(canvas, s.Skin, face);
        HeadPainter.Ears(canvas, s.Skin, face);
        HeadPainter.Skin(canvas, s.Skin, face);
        AgePainter.Paint(canvas, s);
        BeardPainter.Paint(canvas, s, face);
        HeadPainter.Nose(canvas, s.Skin);
        MouthPainter.Paint(canvas, s);
        EyePainter.Eyes(canvas, s);
        EyePainter.Brows(canvas, s);
        HairPainter.Front(canvas, s, face);
        GlassesPainter.Paint(canvas, s, face);
        foreach (var o in s.Occluders) OccluderPainter.Paint(canvas, o, face, Ink.Colour);
    });

    /// <summary>White where an occluder covers at least half of a pixel, black elsewhere.</summary>
    public static RgbImage OccluderMask(SceneSpec s, int size)
    {
        var coverage = OccluderCoverage(s, size);
        var rgb = new byte[coverage.Length * 3];
        for (int i = 0; i < coverage.Length; i++)
            if (coverage[i] >= MaskThreshold) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = 255;
        return new RgbImage(size, size, rgb);
    }

    /// <summary>Per pixel, how much of it the occluders cover (0 … 255, antialiased). Only fully covered pixels (255)
    /// are guaranteed to hide an edit behind them.</summary>
    public static byte[] OccluderCoverage(SceneSpec s, int size)
    {
        var soft = Draw(size, new SKColor(0, 0, 0), canvas =>
        {
            using var face = new FaceLayout(s.Face);
            foreach (var o in s.Occluders) OccluderPainter.Paint(canvas, o, face, Ink.Silhouette);
        });
        var coverage = new byte[size * size];
        for (int i = 0; i < coverage.Length; i++) coverage[i] = soft.Rgb[3 * i];
        return coverage;
    }

    static RgbImage Draw(int size, SKColor clear, Action<SKCanvas> paint)
    {
        if (size < MinSize) throw new ArgumentException($"render size must be at least {MinSize} px, got {size}", nameof(size));
        var info = new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(clear);
            canvas.Scale(size / FaceLayout.Canvas);
            paint(canvas);
            canvas.Flush();
        }
        var px = bitmap.GetPixelSpan();
        var rgb = new byte[size * size * 3];
        for (int i = 0, n = size * size; i < n; i++)
        {
            rgb[3 * i] = px[4 * i];
            rgb[3 * i + 1] = px[4 * i + 1];
            rgb[3 * i + 2] = px[4 * i + 2];
        }
        return new RgbImage(size, size, rgb);
    }
}
