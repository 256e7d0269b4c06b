using Pipeline.World.Scenes;
using SkiaSharp;

namespace Pipeline.World.Rendering;

/// <summary>Dark, thick frames (round, rectangular or browline) with a faint lens tint and arms to the ears.</summary>
public static class GlassesPainter
{
    const float C = FaceLayout.CentreX;
    const float LensHalfW = 20, LensHalfH = 14.5f, RoundRadius = 18;
    const float Frame = 4.8f;
    const byte LensTintAlpha = 46;

    public static void Paint(SKCanvas canvas, SceneSpec s, FaceLayout face)
    {
        var g = s.Glasses;
        if (!g.On) return;
        float y = FaceLayout.EyeY + 1;
        using var tint = Ink.Colour.Fill(new Rgb(220, 236, 255), LensTintAlpha);
        using var frame = Ink.Colour.Stroke(g.Color, Frame);
        using var thin = Ink.Colour.Stroke(g.Color, Frame * 0.55f);
        using var arm = Ink.Colour.Stroke(g.Color, Frame * 0.75f);
        float halfW = g.Frame == GlassesFrame.Round ? RoundRadius : LensHalfW;
        foreach (int side in new[] { -1, 1 })
        {
            float x = C + side * FaceLayout.EyeDx;
            var rect = g.Frame == GlassesFrame.Round
                ? new SKRect(x - RoundRadius, y - RoundRadius, x + RoundRadius, y + RoundRadius)
                : new SKRect(x - LensHalfW, y - LensHalfH, x + LensHalfW, y + LensHalfH);
            float corner = g.Frame == GlassesFrame.Round ? RoundRadius : 7;
            canvas.DrawRoundRect(rect, corner, corner, tint);
            if (g.Frame == GlassesFrame.Browline)
            {
                canvas.DrawRoundRect(rect, corner, corner, thin);
                using var brow = new SKPath();
                brow.MoveTo(rect.Left - 1, rect.Top + 6);
                brow.QuadTo(rect.Left, rect.Top - 1, x, rect.Top - 1);
                brow.QuadTo(rect.Right, rect.Top - 1, rect.Right + 1, rect.Top + 6);
                using var bar = Ink.Colour.Stroke(g.Color, Frame * 1.5f);
                canvas.DrawPath(brow, bar);
            }
            else canvas.DrawRoundRect(rect, corner, corner, frame);
            float outer = x + side * halfW;
            canvas.DrawLine(outer, y - 6, C + side * (face.HalfWidth + 4), y - 2, arm);
        }
        using var bridge = new SKPath();
        bridge.MoveTo(C - FaceLayout.EyeDx + halfW, y - 3);
        bridge.QuadTo(C, y - 10, C + FaceLayout.EyeDx - halfW, y - 3);
        canvas.DrawPath(bridge, frame);
    }
}
