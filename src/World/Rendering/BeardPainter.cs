using Pipeline.World.Scenes;
using SkiaSharp;

namespace Pipeline.World.Rendering;

/// <summary>A dark area over jaw, chin and upper lip (full, goatee or stubble), drawn under nose and mouth.</summary>
public static class BeardPainter
{
    const float C = FaceLayout.CentreX;
    const float EyeY = FaceLayout.EyeY;
    const double StubbleShare = 0.55;
    const float TextureStep = 6;
    /// <summary>Fixed, so the hair texture is the same in every scene and every flip.</summary>
    const int TextureSeed = 1234;

    public static Rgb Shade(SceneSpec s) => s.Age.Old ? s.Beard.Color.Mix(WorldPalette.Grey, 0.75) : s.Beard.Color;

    public static void Paint(SKCanvas canvas, SceneSpec s, FaceLayout face)
    {
        if (!s.Beard.On) return;
        using var region = Region(s.Beard.Style, face);
        var colour = Shade(s);
        var fillColour = s.Beard.Style == BeardStyle.Stubble ? s.Skin.Mix(colour, StubbleShare) : colour;
        using var fill = Ink.Colour.Fill(fillColour);
        canvas.DrawPath(region, fill);

        canvas.Save();
        canvas.ClipPath(region, antialias: true);
        using var hair = Ink.Colour.Stroke(colour.Darken(0.68), 1.3f);
        using var light = Ink.Colour.Stroke(colour.Mix(new Rgb(255, 255, 255), 0.18), 1.1f);
        var jitter = new Random(TextureSeed);
        for (int row = 0; row * TextureStep < 130; row++)
            for (int col = 0; col * TextureStep < 160; col++)
            {
                float x = C - 80 + col * TextureStep + (float)jitter.NextDouble() * TextureStep;
                float y = 128 + row * TextureStep + (float)jitter.NextDouble() * TextureStep;
                float dx = (x - C) * 0.06f + (float)jitter.NextDouble() * 2 - 1;
                canvas.DrawLine(x, y, x + dx, y + 4, jitter.Next(3) == 0 ? light : hair);
            }
        canvas.Restore();
        using var edge = Ink.Colour.Stroke(colour.Darken(0.75), 1.6f);
        canvas.DrawPath(region, edge);
    }

    static SKPath Region(BeardStyle style, FaceLayout face)
    {
        using var chin = Shapes.Oval(C, face.ChinY - 2, face.JawHalfWidth * 0.75f, 16);
        using var head = face.Outline.Op(chin, SKPathOp.Union);
        using var shape = style == BeardStyle.Goatee ? Goatee(face) : Full(face);
        return head.Op(shape, SKPathOp.Intersect);
    }

    static SKPath Full(FaceLayout face)
    {
        float w = face.HalfWidth;
        var line = new SKPoint[]
        {
            new(C - w - 6, EyeY + 4), new(C - w + 8, EyeY + 34), new(C - 22, 160), new(C, 157),
            new(C + 22, 160), new(C + w - 8, EyeY + 34), new(C + w + 6, EyeY + 4),
        };
        var p = new SKPath();
        p.MoveTo(line[0].X, FaceLayout.Canvas + 20);
        p.LineTo(line[0]);
        Shapes.SmoothThrough(p, line);
        p.LineTo(line[^1].X, FaceLayout.Canvas + 20);
        p.Close();
        return p;
    }

    static SKPath Goatee(FaceLayout face)
    {
        float y = FaceLayout.MouthY;
        using var moustache = new SKPath();
        moustache.MoveTo(C - 28, y - 2);
        moustache.QuadTo(C - 22, 156, C, 159);
        moustache.QuadTo(C + 22, 156, C + 28, y - 2);
        moustache.QuadTo(C, y - 14, C - 28, y - 2);
        moustache.Close();
        using var chin = Shapes.Oval(C, face.ChinY - 4, 24, 20);
        using var left = new SKPath();
        left.AddRect(new SKRect(C - 29, y - 6, C - 20, face.ChinY - 8));
        using var right = new SKPath();
        right.AddRect(new SKRect(C + 20, y - 6, C + 29, face.ChinY - 8));
        using var a = moustache.Op(chin, SKPathOp.Union);
        using var b = a.Op(left, SKPathOp.Union);
        return b.Op(right, SKPathOp.Union);
    }
}
