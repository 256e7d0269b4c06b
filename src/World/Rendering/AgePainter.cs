using Pipeline.World.Scenes;
using SkiaSharp;

namespace Pipeline.World.Rendering;

/// <summary>Wrinkle lines (forehead, crow's feet, eye bags, nose-to-mouth folds) and a few age spots. Hair, brows and
/// beard are greyed by their own painters.</summary>
public static class AgePainter
{
    const float C = FaceLayout.CentreX;
    const float EyeY = FaceLayout.EyeY;

    public static void Paint(SKCanvas canvas, SceneSpec s)
    {
        if (!s.Age.Old) return;
        var r = new Random(s.Age.DetailSeed);
        float J() => (float)(r.NextDouble() * 2 - 1);
        using var line = Ink.Colour.Stroke(s.Skin.Darken(0.68), 1.9f);

        for (int k = 0; k < 3; k++)
        {
            float y = 78 + k * 6.5f + J(), half = 22 - k * 3 + 2 * J();
            using var p = new SKPath();
            p.MoveTo(C - half, y + 1);
            p.QuadTo(C, y - 3, C + half, y + 1);
            canvas.DrawPath(p, line);
        }
        foreach (int side in new[] { -1, 1 })
        {
            float x = C + side * (FaceLayout.EyeDx + 19);
            for (int k = -1; k <= 1; k++) canvas.DrawLine(x, EyeY + k * 2, x + side * 7, EyeY + k * 5 + J(), line);
            using var bag = new SKPath();
            float ex = C + side * FaceLayout.EyeDx;
            bag.MoveTo(ex - 10, EyeY + 12);
            bag.QuadTo(ex, EyeY + 17 + J(), ex + 10, EyeY + 12);
            canvas.DrawPath(bag, line);
            using var fold = new SKPath();
            fold.MoveTo(C + side * 13, FaceLayout.NoseY - 2);
            fold.QuadTo(C + side * (26 + J()), FaceLayout.NoseY + 14, C + side * 27, FaceLayout.MouthY + 6);
            canvas.DrawPath(fold, line);
        }

        using var spot = Ink.Colour.Fill(s.Skin.Mix(new Rgb(120, 76, 48), 0.45));
        int spots = 3 + r.Next(3);
        for (int i = 0; i < spots; i++)
        {
            bool cheek = r.Next(2) == 0;
            float x = cheek ? C + (r.Next(2) == 0 ? -1 : 1) * (34 + 10 * (float)r.NextDouble()) : C + 30 * J();
            float y = cheek ? 138 + 14 * (float)r.NextDouble() : 84 + 8 * (float)r.NextDouble();
            canvas.DrawOval(x, y, 2.6f + J() * 0.6f, 2.2f, spot);
        }
    }
}
