using SkiaSharp;

namespace Pipeline.World.Rendering;

/// <summary>Path helpers shared by the painters.</summary>
public static class Shapes
{
    /// <summary>A smooth curve through <paramref name="points"/> (Catmull-Rom as cubic Béziers), continuing from the
    /// path's current point, which must be <c>points[0]</c>.</summary>
    public static void SmoothThrough(SKPath path, IReadOnlyList<SKPoint> points)
    {
        for (int i = 0; i < points.Count - 1; i++)
        {
            var p0 = points[Math.Max(i - 1, 0)];
            var p1 = points[i];
            var p2 = points[i + 1];
            var p3 = points[Math.Min(i + 2, points.Count - 1)];
            path.CubicTo(p1 + Scale(p2 - p0, 1f / 6), p2 - Scale(p3 - p1, 1f / 6), p2);
        }
    }

    public static SKPath Oval(float cx, float cy, float rx, float ry)
    {
        var p = new SKPath();
        p.AddOval(new SKRect(cx - rx, cy - ry, cx + rx, cy + ry));
        return p;
    }

    /// <summary>A closed five-pointed star.</summary>
    public static SKPath Star(float radius)
    {
        var p = new SKPath();
        for (int i = 0; i < 10; i++)
        {
            double a = -Math.PI / 2 + i * Math.PI / 5;
            float r = i % 2 == 0 ? radius : radius * 0.45f;
            var pt = new SKPoint((float)Math.Cos(a) * r, (float)Math.Sin(a) * r);
            if (i == 0) p.MoveTo(pt); else p.LineTo(pt);
        }
        p.Close();
        return p;
    }

    public static SKPath Heart(float radius)
    {
        float r = radius;
        var p = new SKPath();
        p.MoveTo(0, r * 0.95f);
        p.CubicTo(-r * 1.3f, 0, -r * 0.9f, -r * 1.05f, 0, -r * 0.45f);
        p.CubicTo(r * 0.9f, -r * 1.05f, r * 1.3f, 0, 0, r * 0.95f);
        p.Close();
        return p;
    }

    static SKPoint Scale(SKPoint v, float k) => new(v.X * k, v.Y * k);
}
