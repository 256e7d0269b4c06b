using Pipeline.World.Scenes;
using SkiaSharp;

namespace Pipeline.World.Rendering;

/// <summary>Open or narrow eyes, and thin or bushy eyebrows.</summary>
public static class EyePainter
{
    const float C = FaceLayout.CentreX;
    const float HalfEye = 15;
    const float OpenUp = 12, OpenDown = 9, NarrowUp = 4, NarrowDown = 3;
    const float IrisRadius = 7.5f, PupilRadius = 3.6f;
    static readonly Rgb Lid = new(40, 28, 26);
    static readonly Rgb White = new(250, 250, 248);

    public static void Eyes(SKCanvas canvas, SceneSpec s)
    {
        bool narrow = s.Eyes.Narrow;
        float up = narrow ? NarrowUp : OpenUp, down = narrow ? NarrowDown : OpenDown;
        foreach (int side in new[] { -1, 1 })
        {
            float x = C + side * FaceLayout.EyeDx, y = FaceLayout.EyeY;
            using var almond = new SKPath();
            almond.MoveTo(x - HalfEye, y);
            almond.CubicTo(x - 8, y - up, x + 8, y - up, x + HalfEye, y);
            almond.CubicTo(x + 8, y + down, x - 8, y + down, x - HalfEye, y);
            almond.Close();
            using var white = Ink.Colour.Fill(White);
            canvas.DrawPath(almond, white);

            canvas.Save();
            canvas.ClipPath(almond, antialias: true);
            using var iris = Ink.Colour.Fill(s.Eyes.Iris);
            canvas.DrawCircle(x, y, IrisRadius, iris);
            using var pupil = Ink.Colour.Fill(new Rgb(16, 12, 12));
            canvas.DrawCircle(x, y, PupilRadius, pupil);
            using var glint = Ink.Colour.Fill(White);
            canvas.DrawCircle(x + 2.6f, y - 2.6f, 1.8f, glint);
            canvas.Restore();

            using var upperLid = new SKPath();
            upperLid.MoveTo(x - side * HalfEye, y);
            upperLid.CubicTo(x - side * 8, y - up, x + side * 8, y - up, x + side * HalfEye, y);
            upperLid.LineTo(x + side * (HalfEye + 4), y - 3);
            using var lid = Ink.Colour.Stroke(Lid, narrow ? 3.8f : 3.2f);
            canvas.DrawPath(upperLid, lid);
            using var lower = Ink.Colour.Stroke(s.Skin.Darken(0.7), narrow ? 2.2f : 1.2f);
            using var lowerLid = new SKPath();
            lowerLid.MoveTo(x - HalfEye + 2, y + 1);
            lowerLid.CubicTo(x - 8, y + down, x + 8, y + down, x + HalfEye - 2, y + 1);
            canvas.DrawPath(lowerLid, lower);
            if (narrow)
            {
                using var squint = new SKPath();
                squint.MoveTo(x - 10, y + 9);
                squint.QuadTo(x, y + 13, x + 10, y + 9);
                canvas.DrawPath(squint, lower);
            }
        }
    }

    /// <summary>Brow colour: a darker shade of the (possibly greyed) hair, so brows show against every skin tone.</summary>
    public static Rgb BrowColour(SceneSpec s) => s.Age.Old
        ? HairPainter.Shade(s).Darken(0.62)
        : s.Hair.Color.Darken(0.55);

    public static void Brows(SKCanvas canvas, SceneSpec s)
    {
        var colour = BrowColour(s);
        foreach (int side in new[] { -1, 1 })
        {
            float x = C + side * FaceLayout.EyeDx, y = FaceLayout.BrowY;
            var inner = new SKPoint(x - side * 15, y + 3);
            var peak = new SKPoint(x + side * 3, y - 4);
            var outer = new SKPoint(x + side * 17, y + 2);
            if (s.BushyEyebrows)
            {
                using var p = new SKPath();
                p.MoveTo(inner.X, inner.Y - 7);
                p.QuadTo(peak.X, peak.Y - 10, outer.X + side * 1, outer.Y - 4);
                p.QuadTo(outer.X + side * 3, outer.Y + 1, outer.X - side * 1, outer.Y + 3);
                p.QuadTo(peak.X, peak.Y + 6, inner.X, inner.Y + 5);
                p.Close();
                using var fill = Ink.Colour.Fill(colour.Darken(0.8));
                canvas.DrawPath(p, fill);
                using var hairs = Ink.Colour.Stroke(colour.Darken(0.6), 1.4f);
                for (int k = 0; k < 7; k++)
                {
                    float t = (k + 0.5f) / 7;
                    float hx = inner.X + (outer.X - inner.X) * t;
                    canvas.DrawLine(hx, y + 2, hx + side * 3, y - 6, hairs);
                }
            }
            else
            {
                using var p = new SKPath();
                p.MoveTo(inner);
                p.QuadTo(peak, outer);
                using var line = Ink.Colour.Stroke(colour, 2.2f);
                canvas.DrawPath(p, line);
            }
        }
    }
}
