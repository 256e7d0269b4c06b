using Pipeline.World.Scenes;
using SkiaSharp;

namespace Pipeline.World.Rendering;

/// <summary>Four mouths from two attributes: neutral line, "O" (open), toothy grin (smile), laugh (smile + open).</summary>
public static class MouthPainter
{
    const float C = FaceLayout.CentreX;
    const float Y = FaceLayout.MouthY;
    static readonly Rgb Teeth = new(250, 248, 238);
    static readonly Rgb Inside = new(84, 24, 30);
    static readonly Rgb Tongue = new(214, 96, 104);

    public static void Paint(SKCanvas canvas, SceneSpec s)
    {
        var m = s.Mouth;
        if (m.Smile) Grin(canvas, s, open: m.Open);
        else if (m.Open) Oh(canvas, m);
        else Closed(canvas, m);
    }

    static void Closed(SKCanvas canvas, MouthSpec m)
    {
        using var lower = new SKPath();
        lower.MoveTo(C - 12, Y + 2);
        lower.QuadTo(C, Y + 12, C + 12, Y + 2);
        lower.Close();
        using var lip = Ink.Colour.Fill(m.Lips);
        canvas.DrawPath(lower, lip);
        using var line = new SKPath();
        line.MoveTo(C - 18, Y);
        line.QuadTo(C, Y + 4, C + 18, Y);
        using var stroke = Ink.Colour.Stroke(m.Lips.Darken(0.6), 3.4f);
        canvas.DrawPath(line, stroke);
    }

    static void Oh(SKCanvas canvas, MouthSpec m)
    {
        using var hole = Shapes.Oval(C, Y + 4, 11, 11);
        Cavity(canvas, hole, tongueY: Y + 12, teethBottom: float.NaN);
        using var lip = Ink.Colour.Stroke(m.Lips, 4);
        canvas.DrawPath(hole, lip);
    }

    /// <summary>Corners up, teeth showing; open = a deep "D" with a dark inside and a tongue.</summary>
    static void Grin(SKCanvas canvas, SceneSpec s, bool open)
    {
        float depth = open ? 24 : 13;
        using var shape = new SKPath();
        shape.MoveTo(C - 24, Y - 6);
        shape.CubicTo(C - 10, Y - 1, C + 10, Y - 1, C + 24, Y - 6);
        shape.CubicTo(C + 18, Y + depth, C - 18, Y + depth, C - 24, Y - 6);
        shape.Close();
        if (open) Cavity(canvas, shape, tongueY: Y + 17, teethBottom: Y + 4);
        else
        {
            using var teeth = Ink.Colour.Fill(Teeth);
            canvas.DrawPath(shape, teeth);
            using var gap = Ink.Colour.Stroke(Inside, 1.6f);
            using var g = new SKPath();
            g.MoveTo(C - 20, Y - 2);
            g.QuadTo(C, Y + 7, C + 20, Y - 2);
            canvas.DrawPath(g, gap);
        }
        using var lip = Ink.Colour.Stroke(s.Mouth.Lips.Darken(0.85), 3.2f);
        canvas.DrawPath(shape, lip);
        using var dimple = Ink.Colour.Stroke(s.Skin.Darken(0.75), 1.8f);
        foreach (int side in new[] { -1, 1 })
        {
            using var d = new SKPath();
            d.MoveTo(C + side * 27, Y - 11);
            d.QuadTo(C + side * 30, Y - 6, C + side * 27, Y - 1);
            canvas.DrawPath(d, dimple);
        }
    }

    /// <summary>Dark inside of the mouth clipped to <paramref name="outline"/>, with an upper row of teeth when
    /// <paramref name="teethBottom"/> is a number.</summary>
    static void Cavity(SKCanvas canvas, SKPath outline, float tongueY, float teethBottom)
    {
        using var inside = Ink.Colour.Fill(Inside);
        canvas.DrawPath(outline, inside);
        canvas.Save();
        canvas.ClipPath(outline, antialias: true);
        using var tongue = Ink.Colour.Fill(Tongue);
        canvas.DrawOval(C, tongueY + 4, 13, 7, tongue);
        if (!float.IsNaN(teethBottom))
        {
            using var teeth = Ink.Colour.Fill(Teeth);
            canvas.DrawRect(C - 30, Y - 12, 60, teethBottom - (Y - 12), teeth);
        }
        canvas.Restore();
    }
}
