using Pipeline.World.Scenes;
using SkiaSharp;

namespace Pipeline.World.Rendering;

/// <summary>Makes paints. In silhouette mode every colour is white, which turns an occluder painter into its mask.</summary>
public sealed class Ink(bool silhouette)
{
    public static Ink Colour { get; } = new(false);
    public static Ink Silhouette { get; } = new(true);

    public SKPaint Fill(Rgb colour, byte alpha = 255) => new()
    {
        IsAntialias = true,
        Style = SKPaintStyle.Fill,
        Color = Sk(colour, alpha),
    };

    public SKPaint Stroke(Rgb colour, float width, byte alpha = 255) => new()
    {
        IsAntialias = true,
        Style = SKPaintStyle.Stroke,
        StrokeWidth = width,
        StrokeCap = SKStrokeCap.Round,
        StrokeJoin = SKStrokeJoin.Round,
        Color = Sk(colour, alpha),
    };

    SKColor Sk(Rgb c, byte alpha) => silhouette ? new SKColor(255, 255, 255, alpha) : new SKColor(c.R, c.G, c.B, alpha);
}
