using Pipeline.World.Scenes;
using SkiaSharp;

namespace Pipeline.World.Rendering;

/// <summary>Hair behind the head (long styles) and the cap of hair with its hairline in front of the forehead.</summary>
public static class HairPainter
{
    const float C = FaceLayout.CentreX;
    const float EyeY = FaceLayout.EyeY;
    const double GreyShare = 0.82;

    /// <summary>Hair colour as seen: greyed when old.</summary>
    public static Rgb Shade(SceneSpec s) => s.Age.Old ? s.Hair.Color.Mix(WorldPalette.Grey, GreyShare) : s.Hair.Color;

    public static void Back(SKCanvas canvas, SceneSpec s, FaceLayout face)
    {
        float bottom = s.Hair.Style switch { HairStyle.Long => 246, HairStyle.Bob => FaceLayout.JawY + 14, _ => 0 };
        if (bottom == 0) return;
        float half = face.HalfWidth + (s.Hair.Style == HairStyle.Long ? 22 : 18);
        var rect = new SKRect(C - half, FaceLayout.TopY - 12, C + half, bottom);
        using var rr = new SKRoundRect();
        rr.SetRectRadii(rect, new[] { new SKPoint(half, 80), new SKPoint(half, 80), new SKPoint(18, 18), new SKPoint(18, 18) });
        var colour = Shade(s);
        using var fill = Ink.Colour.Fill(colour.Darken(0.88));
        canvas.DrawRoundRect(rr, fill);
        using var strand = Ink.Colour.Stroke(colour.Darken(0.72), 1.8f);
        foreach (int side in new[] { -1, 1 })
            for (int k = 0; k < 3; k++)
            {
                float x = C + side * (half - 5 - k * 6);
                canvas.DrawLine(x, EyeY, x - side * 2, bottom - 8, strand);
            }
    }

    public static void Front(SKCanvas canvas, SceneSpec s, FaceLayout face)
    {
        float w = face.HalfWidth;
        float rx = w + (s.Hair.Style == HairStyle.Receding ? 7 : 11);
        using var dome = Shapes.Oval(C, EyeY - 6, rx, EyeY - 6 - (FaceLayout.TopY - 16));
        using var above = AboveHairline(Hairline(s.Hair.Style, w));
        using var cap = dome.Op(above, SKPathOp.Intersect);
        var colour = Shade(s);
        using var fill = Ink.Colour.Fill(colour);
        canvas.DrawPath(cap, fill);

        canvas.Save();
        canvas.ClipPath(cap, antialias: true);
        using var strand = Ink.Colour.Stroke(colour.Darken(0.74), 2f);
        foreach (float dx in new[] { -w, -w * 0.55f, -w * 0.15f, w * 0.25f, w * 0.65f, w })
        {
            using var p = new SKPath();
            p.MoveTo(C + dx * 0.3f, 30);
            p.QuadTo(C + dx * 0.95f, 50, C + dx * 1.02f, 104);
            canvas.DrawPath(p, strand);
        }
        using var shine = Ink.Colour.Stroke(colour.Mix(new Rgb(255, 255, 255), 0.35), 4, 150);
        canvas.DrawArc(new SKRect(C - w * 0.7f, 36, C + w * 0.2f, 90), 200, 50, false, shine);
        float part = PartX(s.Hair.Style, w);
        if (!float.IsNaN(part)) canvas.DrawLine(part, 30, part + 2, 66, strand);
        canvas.Restore();
    }

    static float PartX(HairStyle style, float w) => style switch
    {
        HairStyle.SidePart => C - w * 0.45f,
        HairStyle.Long => C,
        _ => float.NaN,
    };

    static SKPoint[] Hairline(HairStyle style, float w) => style switch
    {
        HairStyle.Short => Points(C - w - 14, EyeY + 4, C - w + 2, EyeY - 14, C - w + 10, 84,
            C - 30, 80, C - 22, 74, C - 12, 79, C - 2, 72, C + 8, 78, C + 18, 72, C + 28, 79, C + w - 10, 82, C + w - 2, EyeY - 14, C + w + 14, EyeY + 4),
        HairStyle.SidePart => Points(C - w - 14, EyeY + 6, C - w + 2, EyeY - 8, C - w + 12, 96, C - 34, 90, C - 20, 92, C - 4, 82, C + 14, 80, C + w - 16, 74, C + w - 4, EyeY - 16, C + w + 14, EyeY + 2),
        HairStyle.Bob => Points(C - w - 16, EyeY + 30, C - w + 1, EyeY - 6, C - w + 6, 89, C - 20, 90, C + 20, 90, C + w - 6, 89, C + w - 1, EyeY - 6, C + w + 16, EyeY + 30),
        HairStyle.Long => Points(C - w - 16, EyeY + 30, C - w + 1, EyeY - 4, C - w + 12, 92, C - 18, 76, C, 70, C + 18, 76, C + w - 12, 92, C + w - 1, EyeY - 4, C + w + 16, EyeY + 30),
        HairStyle.Receding => Points(C - w - 12, EyeY - 2, C - w + 2, EyeY - 16, C - w + 8, 78, C - 26, 60, C, 63, C + 26, 60, C + w - 8, 78, C + w - 2, EyeY - 16, C + w + 12, EyeY - 2),
        _ => throw new ArgumentException($"unknown hair style {style}", nameof(style)),
    };

    static SKPath AboveHairline(SKPoint[] line)
    {
        var p = new SKPath();
        p.MoveTo(line[0].X, -20);
        p.LineTo(line[0]);
        Shapes.SmoothThrough(p, line);
        p.LineTo(line[^1].X, -20);
        p.Close();
        return p;
    }

    static SKPoint[] Points(params float[] xy)
    {
        var pts = new SKPoint[xy.Length / 2];
        for (int i = 0; i < pts.Length; i++) pts[i] = new SKPoint(xy[2 * i], xy[2 * i + 1]);
        return pts;
    }
}
