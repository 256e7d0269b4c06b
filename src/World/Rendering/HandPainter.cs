using Pipeline.World.Scenes;
using SkiaSharp;

namespace Pipeline.World.Rendering;

/// <summary>An open hand, fingers up, wrist running off the bottom edge into a sleeve.</summary>
public static class HandPainter
{
    /// <summary>(x of the finger's centre, top, length) in the hand's frame: middle fingertip at the origin.</summary>
    static readonly (float X, float Top, float Length)[] Fingers = { (-17, 10, 34), (-6, 0, 40), (5, 4, 38), (16, 13, 30) };
    const float FingerHalf = 5.6f;

    public static void Paint(SKCanvas canvas, Hand hand, Ink ink)
    {
        canvas.Save();
        canvas.Translate((float)hand.X, (float)hand.TipY);
        canvas.RotateDegrees((float)hand.Tilt);
        canvas.Scale((float)hand.Scale);
        using var skin = ink.Fill(hand.Skin);
        using var edge = ink.Stroke(hand.Skin.Darken(0.7), 1.6f);
        using var sleeve = ink.Fill(hand.Sleeve);

        canvas.DrawRect(-17, 60, 34, 200, skin);
        canvas.DrawRect(-22, 96, 44, 200, sleeve);
        using var cuff = ink.Stroke(hand.Sleeve.Darken(0.7), 2);
        canvas.DrawLine(-22, 97, 22, 97, cuff);

        canvas.Save();
        canvas.Translate(-20, 58);
        canvas.RotateDegrees(-38);
        var thumb = new SKRect(-FingerHalf - 0.5f, -34, FingerHalf + 0.5f, 4);
        canvas.DrawRoundRect(thumb, 6, 6, skin);
        canvas.DrawRoundRect(thumb, 6, 6, edge);
        canvas.Restore();

        foreach (var (x, top, length) in Fingers)
        {
            var r = new SKRect(x - FingerHalf, top, x + FingerHalf, top + length);
            canvas.DrawRoundRect(r, FingerHalf, FingerHalf, skin);
            canvas.DrawRoundRect(r, FingerHalf, FingerHalf, edge);
        }
        var palm = new SKRect(-23, 32, 23, 80);
        canvas.DrawRoundRect(palm, 13, 13, skin);
        using var palmEdge = new SKPath();
        palmEdge.MoveTo(-23, 44);
        palmEdge.LineTo(-23, 66);
        palmEdge.QuadTo(-22, 80, -10, 80);
        palmEdge.MoveTo(23, 38);
        palmEdge.LineTo(23, 66);
        palmEdge.QuadTo(22, 80, 10, 80);
        canvas.DrawPath(palmEdge, edge);
        using var crease = ink.Stroke(hand.Skin.Darken(0.8), 1.3f);
        canvas.DrawArc(new SKRect(-14, 44, 10, 70), 200, 70, false, crease);
        canvas.Restore();
    }
}
