using Pipeline.World.Scenes;
using SkiaSharp;

namespace Pipeline.World.Rendering;

/// <summary>Smooth two-colour gradients (in domain) or stripes, checks and dots (ood).</summary>
public static class BackgroundPainter
{
    const float Half = FaceLayout.Canvas / 2;

    public static void Paint(SKCanvas canvas, BackgroundSpec bg)
    {
        switch (bg.Pattern)
        {
            case BackgroundPattern.Gradient: Gradient(canvas, bg); break;
            case BackgroundPattern.Stripes: Stripes(canvas, bg); break;
            case BackgroundPattern.Checks: Checks(canvas, bg); break;
            case BackgroundPattern.Dots: Dots(canvas, bg); break;
            default: throw new ArgumentException($"unknown background pattern {bg.Pattern}", nameof(bg));
        }
    }

    static void Gradient(SKCanvas canvas, BackgroundSpec bg)
    {
        double a = bg.Angle * Math.PI / 180;
        var d = new SKPoint((float)Math.Cos(a) * Half, (float)Math.Sin(a) * Half);
        var centre = new SKPoint(Half, Half);
        using var shader = SKShader.CreateLinearGradient(centre - d, centre + d,
            new[] { Sk(bg.Top), Sk(bg.Bottom) }, null, SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = shader, IsAntialias = true };
        canvas.DrawRect(0, 0, FaceLayout.Canvas, FaceLayout.Canvas, paint);
    }

    static void Stripes(SKCanvas canvas, BackgroundSpec bg)
    {
        canvas.Clear(Sk(bg.Top));
        using var paint = Ink.Colour.Fill(bg.Bottom);
        float period = (float)bg.Period;
        canvas.Save();
        canvas.RotateDegrees((float)bg.Angle, Half, Half);
        for (float x = -Half; x < FaceLayout.Canvas + Half; x += period)
            canvas.DrawRect(x, -Half, period / 2, FaceLayout.Canvas * 2, paint);
        canvas.Restore();
    }

    static void Checks(SKCanvas canvas, BackgroundSpec bg)
    {
        canvas.Clear(Sk(bg.Top));
        using var paint = Ink.Colour.Fill(bg.Bottom);
        float period = (float)bg.Period;
        int n = (int)Math.Ceiling(FaceLayout.Canvas / period);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++)
                if ((i + k) % 2 == 0) canvas.DrawRect(i * period, k * period, period, period, paint);
    }

    static void Dots(SKCanvas canvas, BackgroundSpec bg)
    {
        canvas.Clear(Sk(bg.Top));
        using var paint = Ink.Colour.Fill(bg.Bottom);
        float period = (float)bg.Period;
        int n = (int)Math.Ceiling(FaceLayout.Canvas / period) + 1;
        for (int row = 0; row < n; row++)
            for (int col = 0; col < n; col++)
            {
                float x = col * period + (row % 2 == 0 ? 0 : period / 2);
                canvas.DrawCircle(x, row * period, period * 0.28f, paint);
            }
    }

    static SKColor Sk(Rgb c) => new(c.R, c.G, c.B);
}
