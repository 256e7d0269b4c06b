using Pipeline.World.Scenes;
using SkiaSharp;

namespace Pipeline.World.Rendering;

/// <summary>Caps, beanies, wide-brimmed hats and top hats whose lowest edge sits at <see cref="Hat.BrimY"/>.</summary>
public static class HatPainter
{
    const float C = FaceLayout.CentreX;

    public static void Paint(SKCanvas canvas, Hat hat, FaceLayout face, Ink ink)
    {
        float w = face.HalfWidth, b = (float)hat.BrimY;
        switch (hat.Shape)
        {
            case HatShape.Cap: Cap(canvas, hat, w, b, ink); break;
            case HatShape.Beanie: Beanie(canvas, hat, w, b, ink); break;
            case HatShape.WideBrim: WideBrim(canvas, hat, w, b, ink); break;
            case HatShape.TopHat: TopHat(canvas, hat, w, b, ink); break;
            default: throw new ArgumentException($"unknown hat shape {hat.Shape}", nameof(hat));
        }
    }

    /// <summary>A half-ellipse standing on (cx ± halfW, bottom), <paramref name="height"/> tall.</summary>
    static SKPath Dome(float halfW, float bottom, float height)
    {
        var p = new SKPath();
        p.MoveTo(C - halfW, bottom);
        p.CubicTo(C - halfW, bottom - height * 4 / 3f, C + halfW, bottom - height * 4 / 3f, C + halfW, bottom);
        p.Close();
        return p;
    }

    static void Cap(SKCanvas canvas, Hat hat, float w, float b, Ink ink)
    {
        float bottom = b - 9;
        using var crown = Dome(w + 10, bottom, 70);
        using var fill = ink.Fill(hat.Color);
        canvas.DrawPath(crown, fill);
        using var seam = ink.Stroke(hat.Color.Darken(0.75), 1.8f);
        canvas.DrawLine(C, bottom - 70, C, bottom, seam);
        using var arcL = new SKPath();
        arcL.MoveTo(C - 4, bottom - 69);
        arcL.QuadTo(C - w * 0.7f, bottom - 50, C - w * 0.55f, bottom);
        canvas.DrawPath(arcL, seam);
        using var arcR = new SKPath();
        arcR.MoveTo(C + 4, bottom - 69);
        arcR.QuadTo(C + w * 0.7f, bottom - 50, C + w * 0.55f, bottom);
        canvas.DrawPath(arcR, seam);
        using var button = ink.Fill(hat.Band);
        canvas.DrawCircle(C, bottom - 69, 4.5f, button);
        using var brim = ink.Fill(hat.Band.Darken(0.85));
        canvas.DrawOval(C, bottom + 1, w * 0.9f, 9, brim);
    }

    static void Beanie(SKCanvas canvas, Hat hat, float w, float b, Ink ink)
    {
        using var crown = Dome(w + 11, b - 14, 62);
        using var fill = ink.Fill(hat.Color);
        canvas.DrawPath(crown, fill);
        using var rib = ink.Stroke(hat.Color.Darken(0.8), 1.6f);
        for (int k = -4; k <= 4; k++) canvas.DrawLine(C + k * (w / 5), b - 16, C + k * (w / 6), b - 60 + Math.Abs(k) * 4, rib);
        using var band = ink.Fill(hat.Band);
        canvas.DrawRoundRect(new SKRect(C - w - 13, b - 18, C + w + 13, b), 6, 6, band);
        using var bandRib = ink.Stroke(hat.Band.Darken(0.8), 1.4f);
        for (float x = C - w - 8; x < C + w + 10; x += 6) canvas.DrawLine(x, b - 16, x, b - 2, bandRib);
        canvas.DrawCircle(C, b - 78, 13, band);
    }

    static void WideBrim(SKCanvas canvas, Hat hat, float w, float b, Ink ink)
    {
        float brimY = b - 13;
        using var brim = ink.Fill(hat.Color.Darken(0.85));
        canvas.DrawOval(C, brimY, w + 50, 13, brim);
        using var crown = Dome(w - 4, brimY + 2, 56);
        using var fill = ink.Fill(hat.Color);
        canvas.DrawPath(crown, fill);
        using var dent = ink.Stroke(hat.Color.Darken(0.75), 2);
        canvas.DrawLine(C, brimY - 54, C, brimY - 34, dent);
        using var band = ink.Fill(hat.Band);
        canvas.DrawRect(C - w + 4, brimY - 12, 2 * (w - 4), 11, band);
    }

    static void TopHat(SKCanvas canvas, Hat hat, float w, float b, Ink ink)
    {
        var body = hat.Color.Darken(0.45);
        using var fill = ink.Fill(body);
        canvas.DrawRect(C - w + 10, b - 100, 2 * (w - 10), 94, fill);
        using var top = ink.Fill(body.Darken(0.8));
        canvas.DrawOval(C, b - 100, w - 10, 6, top);
        using var band = ink.Fill(hat.Band);
        canvas.DrawRect(C - w + 10, b - 26, 2 * (w - 10), 12, band);
        using var brim = ink.Fill(body.Darken(0.9));
        canvas.DrawOval(C, b - 6, w + 18, 7, brim);
    }
}
