using System.Globalization;

namespace Pipeline.World.Scenes;

/// <summary>An opaque sRGB colour; a value, so scene records compare by content.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>Towards black: <paramref name="keep"/> = 1 leaves the colour, 0 gives black.</summary>
    public Rgb Darken(double keep) => new(Scale(R, keep), Scale(G, keep), Scale(B, keep));

    /// <summary>Linear blend: <paramref name="t"/> = 0 gives this colour, 1 gives <paramref name="other"/>.</summary>
    public Rgb Mix(Rgb other, double t) => new(Lerp(R, other.R, t), Lerp(G, other.G, t), Lerp(B, other.B, t));

    public string Hex => string.Create(CultureInfo.InvariantCulture, $"#{R:x2}{G:x2}{B:x2}");

    static byte Scale(byte v, double k) => (byte)Math.Clamp(Math.Round(v * k), 0, 255);
    static byte Lerp(byte a, byte b, double t) => (byte)Math.Clamp(Math.Round(a + (b - a) * t), 0, 255);
}
