using Pipeline.World.Scenes;
using SkiaSharp;

namespace Pipeline.World.Rendering;

/// <summary>Shoulders, neck, ears, the face's skin and the nose.</summary>
public static class HeadPainter
{
    const float C = FaceLayout.CentreX;
    const float ShoulderY = 224;
    const float NecklineY = 242;

    public static void Shoulders(SKCanvas canvas, Rgb clothing, FaceLayout face)
    {
        float neck = face.JawHalfWidth * 0.62f;
        using var p = new SKPath();
        p.MoveTo(-10, FaceLayout.Canvas + 2);
        p.CubicTo(-6, 238, 26, ShoulderY + 2, C - 52, ShoulderY);
        p.LineTo(C - neck - 6, ShoulderY - 2);
        p.QuadTo(C, NecklineY + 6, C + neck + 6, ShoulderY - 2);
        p.LineTo(C + 52, ShoulderY);
        p.CubicTo(FaceLayout.Canvas - 26, ShoulderY + 2, FaceLayout.Canvas + 6, 238, FaceLayout.Canvas + 10, FaceLayout.Canvas + 2);
        p.Close();
        using var fill = Ink.Colour.Fill(clothing);
        canvas.DrawPath(p, fill);
        using var fold = Ink.Colour.Stroke(clothing.Darken(0.8), 2);
        canvas.DrawLine(C - 70, 246, C - 62, FaceLayout.Canvas, fold);
        canvas.DrawLine(C + 70, 246, C + 62, FaceLayout.Canvas, fold);
    }

    public static void Neck(SKCanvas canvas, Rgb skin, FaceLayout face)
    {
        float neck = face.JawHalfWidth * 0.62f;
        using var p = new SKPath();
        p.MoveTo(C - neck, FaceLayout.JawY - 10);
        p.LineTo(C - neck - 2, ShoulderY);
        p.QuadTo(C, NecklineY + 6, C + neck + 2, ShoulderY);
        p.LineTo(C + neck, FaceLayout.JawY - 10);
        p.Close();
        using var fill = Ink.Colour.Fill(skin.Darken(0.9));
        canvas.DrawPath(p, fill);
        using var shadow = Ink.Colour.Fill(skin.Darken(0.78));
        canvas.DrawOval(C, face.ChinY + 2, face.JawHalfWidth * 0.6f, 9, shadow);
    }

    public static void Ears(SKCanvas canvas, Rgb skin, FaceLayout face)
    {
        using var fill = Ink.Colour.Fill(skin.Darken(0.96));
        using var inner = Ink.Colour.Stroke(skin.Darken(0.72), 2.2f);
        foreach (int s in new[] { -1, 1 })
        {
            float x = C + s * (face.HalfWidth + 1);
            canvas.DrawOval(x, FaceLayout.EyeY + 12, 9, 15, fill);
            using var p = new SKPath();
            p.MoveTo(x - s * 1, FaceLayout.EyeY + 2);
            p.QuadTo(x + s * 6, FaceLayout.EyeY + 10, x + s * 1, FaceLayout.EyeY + 22);
            canvas.DrawPath(p, inner);
        }
    }

    public static void Skin(SKCanvas canvas, Rgb skin, FaceLayout face)
    {
        using var fill = Ink.Colour.Fill(skin);
        canvas.DrawPath(face.Outline, fill);
        using var edge = Ink.Colour.Stroke(skin.Darken(0.82), 1.6f);
        canvas.DrawPath(face.Outline, edge);
        using var blush = Ink.Colour.Fill(skin.Mix(WorldPalette.LipTint, 0.25), 110);
        canvas.DrawOval(C - 40, FaceLayout.NoseY + 4, 12, 7, blush);
        canvas.DrawOval(C + 40, FaceLayout.NoseY + 4, 12, 7, blush);
    }

    public static void Nose(SKCanvas canvas, Rgb skin)
    {
        using var line = Ink.Colour.Stroke(skin.Darken(0.72), 2.4f);
        using var p = new SKPath();
        p.MoveTo(C - 3, FaceLayout.EyeY + 8);
        p.QuadTo(C - 6, FaceLayout.NoseY - 12, C - 9, FaceLayout.NoseY - 2);
        p.QuadTo(C - 10, FaceLayout.NoseY + 5, C - 3, FaceLayout.NoseY + 4);
        canvas.DrawPath(p, line);
        using var q = new SKPath();
        q.MoveTo(C + 9, FaceLayout.NoseY - 2);
        q.QuadTo(C + 10, FaceLayout.NoseY + 5, C + 3, FaceLayout.NoseY + 4);
        canvas.DrawPath(q, line);
    }
}
