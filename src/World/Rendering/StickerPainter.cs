using Pipeline.World.Scenes;
using SkiaSharp;

namespace Pipeline.World.Rendering;

/// <summary>Bright star, heart or disc stickers with a white die-cut border.</summary>
public static class StickerPainter
{
    const float Border = 3.2f;
    static readonly Rgb White = new(255, 255, 255);

    public static void Paint(SKCanvas canvas, Sticker sticker, Ink ink)
    {
        canvas.Save();
        canvas.Translate((float)sticker.X, (float)sticker.Y);
        canvas.RotateDegrees((float)sticker.Rotation);
        float r = (float)sticker.Size / 2;
        using var shape = sticker.Shape switch
        {
            StickerShape.Star => Shapes.Star(r),
            StickerShape.Heart => Shapes.Heart(r),
            StickerShape.Circle => Shapes.Oval(0, 0, r * 0.85f, r * 0.85f),
            _ => throw new ArgumentException($"unknown sticker shape {sticker.Shape}", nameof(sticker)),
        };
        using var border = ink.Stroke(White, 2 * Border);
        canvas.DrawPath(shape, border);
        using var fill = ink.Fill(sticker.Color);
        canvas.DrawPath(shape, fill);
        if (sticker.Shape == StickerShape.Circle)
        {
            using var face = ink.Stroke(sticker.Color.Darken(0.45), 2.2f);
            canvas.DrawCircle(-r * 0.3f, -r * 0.2f, 1.2f, face);
            canvas.DrawCircle(r * 0.3f, -r * 0.2f, 1.2f, face);
            canvas.DrawArc(new SKRect(-r * 0.45f, -r * 0.2f, r * 0.45f, r * 0.5f), 20, 140, false, face);
        }
        canvas.Restore();
    }
}
