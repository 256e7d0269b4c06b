using Pipeline.World.Scenes;
using SkiaSharp;

namespace Pipeline.World.Rendering;

/// <summary>Where the face sits on the canonical 256 × 256 canvas. Eyes and mouth are on fixed rows, as in FFHQ's
/// alignment, so that a small generator spends no capacity on pose; only the outline varies with <see cref="FaceShape"/>.</summary>
public sealed class FaceLayout : IDisposable
{
    public const float Canvas = 256;
    public const float CentreX = 128;
    public const float EyeY = 118;
    /// <summary>Half the distance between the eye centres.</summary>
    public const float EyeDx = 29;
    public const float BrowY = EyeY - 21;
    public const float NoseY = 150;
    public const float MouthY = 178;
    public const float TopY = 44;
    public const float JawY = 182;
    const float CheekHalfWidth = 60;
    const float ChinBase = 170, ChinPerUnit = 42;

    public FaceLayout(FaceShape shape)
    {
        HalfWidth = (float)(CheekHalfWidth * shape.Width);
        JawHalfWidth = (float)(HalfWidth * shape.Jaw);
        ChinY = (float)(ChinBase + ChinPerUnit * shape.Chin);
        Outline = BuildOutline();
    }

    /// <summary>Cheek half-width.</summary>
    public float HalfWidth { get; }
    public float JawHalfWidth { get; }
    public float ChinY { get; }
    /// <summary>The skin area of the face (forehead to chin, ear to ear); callers must not mutate it.</summary>
    public SKPath Outline { get; }

    public void Dispose() => Outline.Dispose();

    SKPath BuildOutline()
    {
        float c = CentreX, w = HalfWidth, j = JawHalfWidth;
        var p = new SKPath();
        p.MoveTo(c, TopY);
        p.CubicTo(c + w * 0.62f, TopY, c + w, TopY + 28, c + w, EyeY - 8);
        p.CubicTo(c + w, EyeY + 22, c + j + 0.25f * (w - j) + 4, JawY - 18, c + j, JawY);
        p.CubicTo(c + j - 4, JawY + (ChinY - JawY) * 0.7f, c + j * 0.45f, ChinY, c, ChinY);
        p.CubicTo(c - j * 0.45f, ChinY, c - j + 4, JawY + (ChinY - JawY) * 0.7f, c - j, JawY);
        p.CubicTo(c - j - 0.25f * (w - j) - 4, JawY - 18, c - w, EyeY + 22, c - w, EyeY - 8);
        p.CubicTo(c - w, TopY + 28, c - w * 0.62f, TopY, c, TopY);
        p.Close();
        return p;
    }
}
