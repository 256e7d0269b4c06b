using Pipeline.World.Scenes;
using SkiaSharp;

namespace Pipeline.World.Rendering;

/// <summary>A hand-held microphone: grey mesh ball, metal ring, handle to the bottom edge.</summary>
public static class MicrophonePainter
{
    const float HeadRadius = 15;
    static readonly Rgb Mesh = new(88, 88, 94);
    static readonly Rgb Metal = new(196, 196, 204);

    public static void Paint(SKCanvas canvas, Microphone mic, Ink ink)
    {
        canvas.Save();
        canvas.Translate((float)mic.X, (float)mic.HeadY);
        canvas.RotateDegrees((float)mic.Tilt);
        using var body = ink.Fill(mic.Body);
        using var handle = new SKPath();
        handle.MoveTo(-8, 12);
        handle.LineTo(8, 12);
        handle.LineTo(5.5f, 170);
        handle.LineTo(-5.5f, 170);
        handle.Close();
        canvas.DrawPath(handle, body);
        using var shade = ink.Stroke(mic.Body.Darken(0.7), 2);
        canvas.DrawLine(4, 22, 3, 160, shade);
        using var ring = ink.Fill(Metal);
        canvas.DrawRoundRect(new SKRect(-10, 9, 10, 19), 3, 3, ring);

        using var ball = Shapes.Oval(0, 0, HeadRadius, HeadRadius);
        using var mesh = ink.Fill(Mesh);
        canvas.DrawPath(ball, mesh);
        canvas.Save();
        canvas.ClipPath(ball, antialias: true);
        using var grid = ink.Stroke(Metal.Darken(0.8), 1.1f);
        for (float d = -HeadRadius; d <= HeadRadius; d += 4.5f)
        {
            canvas.DrawLine(d - HeadRadius, -HeadRadius, d + HeadRadius, HeadRadius, grid);
            canvas.DrawLine(d + HeadRadius, -HeadRadius, d - HeadRadius, HeadRadius, grid);
        }
        canvas.Restore();
        using var rim = ink.Stroke(Mesh.Darken(0.6), 1.8f);
        canvas.DrawPath(ball, rim);
        using var shine = ink.Fill(new Rgb(240, 240, 245), 170);
        canvas.DrawOval(-5, -6, 4, 3, shine);
        canvas.Restore();
    }
}
