using System.Globalization;
using Pipeline.World.Scenes;
using SkiaSharp;

namespace Pipeline.World.Rendering;

/// <summary>A tiny polyline font (upper case, digits, a few signs) on a 4 × 6 grid. The world draws its text with it
/// rather than a system font, so renders are identical on machines with different fonts or none.</summary>
public static class StrokeFont
{
    const float GlyphWidth = 4, GlyphHeight = 6, Spacing = 1.8f;
    const float StrokeUnits = 1.05f, OutlineUnits = 2.3f;

    static readonly Dictionary<char, SKPoint[][]> Glyphs = Parse(new Dictionary<char, string>
    {
        ['A'] = "0,6 0,2 2,0 4,2 4,6; 0,3.6 4,3.6",
        ['B'] = "0,3 0,0 3,0 4,1 4,2 3,3 0,3 0,6 3,6 4,5 4,4 3,3",
        ['C'] = "4,1 3,0 1,0 0,1 0,5 1,6 3,6 4,5",
        ['D'] = "0,0 0,6 2.5,6 4,4.5 4,1.5 2.5,0 0,0",
        ['E'] = "4,0 0,0 0,6 4,6; 0,3 3,3",
        ['F'] = "4,0 0,0 0,6; 0,3 3,3",
        ['G'] = "4,1 3,0 1,0 0,1 0,5 1,6 3,6 4,5 4,3.5 2,3.5",
        ['H'] = "0,0 0,6; 4,0 4,6; 0,3 4,3",
        ['I'] = "1,0 3,0; 2,0 2,6; 1,6 3,6",
        ['J'] = "4,0 4,5 3,6 1,6 0,5",
        ['K'] = "0,0 0,6; 4,0 0,3.6; 1.3,2.8 4,6",
        ['L'] = "0,0 0,6 4,6",
        ['M'] = "0,6 0,0 2,3 4,0 4,6",
        ['N'] = "0,6 0,0 4,6 4,0",
        ['O'] = "1,0 3,0 4,1 4,5 3,6 1,6 0,5 0,1 1,0",
        ['P'] = "0,6 0,0 3,0 4,1 4,2 3,3 0,3",
        ['Q'] = "1,0 3,0 4,1 4,5 3,6 1,6 0,5 0,1 1,0; 2.5,4.5 4,6",
        ['R'] = "0,6 0,0 3,0 4,1 4,2 3,3 0,3; 2,3 4,6",
        ['S'] = "4,1 3,0 1,0 0,1 0,2 1,3 3,3 4,4 4,5 3,6 1,6 0,5",
        ['T'] = "0,0 4,0; 2,0 2,6",
        ['U'] = "0,0 0,5 1,6 3,6 4,5 4,0",
        ['V'] = "0,0 2,6 4,0",
        ['W'] = "0,0 1,6 2,3 3,6 4,0",
        ['X'] = "0,0 4,6; 4,0 0,6",
        ['Y'] = "0,0 2,3 4,0; 2,3 2,6",
        ['Z'] = "0,0 4,0 0,6 4,6",
        ['0'] = "1,0 3,0 4,1 4,5 3,6 1,6 0,5 0,1 1,0",
        ['1'] = "1,1 2,0 2,6; 1,6 3,6",
        ['2'] = "0,1 1,0 3,0 4,1 4,2 0,6 4,6",
        ['3'] = "0,1 1,0 3,0 4,1 4,2 3,3 1.5,3; 3,3 4,4 4,5 3,6 1,6 0,5",
        ['4'] = "3,6 3,0 0,4 4,4",
        ['5'] = "4,0 0,0 0,3 3,3 4,4 4,5 3,6 0,6",
        ['6'] = "3,0 1,0 0,1 0,5 1,6 3,6 4,5 4,4 3,3 0,3",
        ['7'] = "0,0 4,0 1.5,6",
        ['8'] = "1,3 0,2 0,1 1,0 3,0 4,1 4,2 3,3 1,3 0,4 0,5 1,6 3,6 4,5 4,4 3,3",
        ['9'] = "4,3 1,3 0,2 0,1 1,0 3,0 4,1 4,5 3,6 1,6",
        ['!'] = "2,0 2,4; 2,5.7 2,6",
        ['?'] = "0,1 1,0 3,0 4,1 4,2 2,3.5 2,4.3; 2,5.7 2,6",
        ['-'] = "0.5,3 3.5,3",
        ['.'] = "2,5.7 2,6",
        [':'] = "2,1.7 2,2; 2,5.7 2,6",
        ['/'] = "4,0 0,6",
        [' '] = "",
    });

    /// <summary>Width of <paramref name="text"/> drawn with capital height <paramref name="height"/>.</summary>
    public static double Width(string text, double height) =>
        text.Length == 0 ? 0 : (text.Length * GlyphWidth + (text.Length - 1) * Spacing) * height / GlyphHeight;

    public static bool CanDraw(char c) => Glyphs.ContainsKey(char.ToUpperInvariant(c));

    /// <summary>Draws centred on (x, y), with an outline under the strokes so the text reads on any background.</summary>
    public static void Draw(SKCanvas canvas, string text, float x, float y, float height, float rotation, Rgb colour, Rgb outline, Ink ink)
    {
        var upper = text.ToUpperInvariant();
        var bad = upper.FirstOrDefault(c => !Glyphs.ContainsKey(c));
        if (bad != default) throw new ArgumentException($"the stroke font has no glyph for '{bad}' in \"{text}\"", nameof(text));
        float unit = height / GlyphHeight;
        canvas.Save();
        canvas.Translate(x, y);
        canvas.RotateDegrees(rotation);
        canvas.Scale(unit);
        canvas.Translate(-(float)Width(upper, GlyphHeight) / 2, -GlyphHeight / 2);
        using var under = ink.Stroke(outline, OutlineUnits);
        using var over = ink.Stroke(colour, StrokeUnits);
        using var path = Path(upper);
        canvas.DrawPath(path, under);
        canvas.DrawPath(path, over);
        canvas.Restore();
    }

    static SKPath Path(string text)
    {
        var p = new SKPath();
        for (int i = 0; i < text.Length; i++)
        {
            float dx = i * (GlyphWidth + Spacing);
            foreach (var stroke in Glyphs[text[i]])
            {
                p.MoveTo(stroke[0].X + dx, stroke[0].Y);
                for (int k = 1; k < stroke.Length; k++) p.LineTo(stroke[k].X + dx, stroke[k].Y);
            }
        }
        return p;
    }

    static Dictionary<char, SKPoint[][]> Parse(Dictionary<char, string> source) =>
        source.ToDictionary(kv => kv.Key, kv => kv.Value
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(stroke => stroke.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ParsePoint).ToArray())
            .ToArray());

    static SKPoint ParsePoint(string xy)
    {
        var parts = xy.Split(',');
        return new SKPoint(float.Parse(parts[0], CultureInfo.InvariantCulture), float.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
