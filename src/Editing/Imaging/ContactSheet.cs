using SkiaSharp;

namespace Pipeline.Editing.Imaging;

/// <summary>
/// A labelled grid of images: one row per item, one column per stage, a header with the column names. Every tile is
/// drawn at the same size so stages line up for comparison.
/// </summary>
public static class ContactSheet
{
    public sealed record Options(int TileSize = 256, int Gap = 6, int HeaderHeight = 26, int RowLabelWidth = 0, float FontSize = 15f);

    public static RgbImage Render(IReadOnlyList<string> columns, IReadOnlyList<(string Label, IReadOnlyList<RgbImage> Tiles)> rows, Options? options = null)
    {
        var o = options ?? new Options();
        using var font = new SKFont(LabelFont.Typeface, o.FontSize);
        // Wide enough for the longest word of any label: labels wrap at spaces, never inside a word.
        float longestWord = rows.SelectMany(r => (r.Label ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(w => font.MeasureText(w)).DefaultIfEmpty(0).Max();
        int labelWidth = rows.Any(r => !string.IsNullOrEmpty(r.Label)) ? Math.Max(o.RowLabelWidth, Math.Max(110, (int)Math.Ceiling(longestWord) + 12)) : 0;
        int width = labelWidth + columns.Count * (o.TileSize + o.Gap) + o.Gap;
        int height = o.HeaderHeight + rows.Count * (o.TileSize + o.Gap) + o.Gap;
        using var surface = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(surface);
        canvas.Clear(new SKColor(250, 250, 250));
        using var ink = new SKPaint { Color = new SKColor(30, 30, 30), IsAntialias = true };
        using var sampling = new SKPaint { IsAntialias = true };

        for (int c = 0; c < columns.Count; c++)
        {
            float x = labelWidth + o.Gap + c * (o.TileSize + o.Gap) + o.TileSize / 2f;
            canvas.DrawText(columns[c], x, o.HeaderHeight - 8, SKTextAlign.Center, font, ink);
        }
        for (int r = 0; r < rows.Count; r++)
        {
            float y = o.HeaderHeight + r * (o.TileSize + o.Gap);
            if (labelWidth > 0)
            {
                var lines = WrapLabel(rows[r].Label, labelWidth - 10, font);
                float lineHeight = o.FontSize * 1.25f;
                float top = y + o.TileSize / 2f - (lines.Count - 1) * lineHeight / 2f;
                for (int l = 0; l < lines.Count; l++) canvas.DrawText(lines[l], 6, top + l * lineHeight, SKTextAlign.Left, font, ink);
            }
            for (int c = 0; c < rows[r].Tiles.Count && c < columns.Count; c++)
            {
                using var bmp = ImageWriter.ToBitmap(rows[r].Tiles[c]);
                using var img = SKImage.FromBitmap(bmp);
                var dest = SKRect.Create(labelWidth + o.Gap + c * (o.TileSize + o.Gap), y, o.TileSize, o.TileSize);
                canvas.DrawImage(img, dest, new SKSamplingOptions(SKCubicResampler.Mitchell), sampling);
            }
        }
        canvas.Flush();
        var rgba = surface.GetPixelSpan();
        var rgb = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++) { rgb[3 * i] = rgba[4 * i]; rgb[3 * i + 1] = rgba[4 * i + 1]; rgb[3 * i + 2] = rgba[4 * i + 2]; }
        return new RgbImage(width, height, rgb);
    }

    /// <summary>The image with the mask painted over it in translucent red (mask in [0,1], same size, row-major).</summary>
    public static RgbImage MaskOverlay(RgbImage image, float[] mask, float opacity = 0.55f)
    {
        if (mask.Length != image.Width * image.Height) throw new ArgumentException("mask size differs from the image");
        var rgb = (byte[])image.Rgb.Clone();
        for (int i = 0; i < mask.Length; i++)
        {
            float a = Math.Clamp(mask[i], 0f, 1f) * opacity;
            rgb[3 * i] = (byte)Math.Round(rgb[3 * i] * (1 - a) + 255 * a);
            rgb[3 * i + 1] = (byte)Math.Round(rgb[3 * i + 1] * (1 - a) + 40 * a);
            rgb[3 * i + 2] = (byte)Math.Round(rgb[3 * i + 2] * (1 - a) + 40 * a);
        }
        return new RgbImage(image.Width, image.Height, rgb);
    }

    /// <summary>
    /// Breaks a row label at spaces into lines no wider than the label column, so a label such as
    /// "smile=+1 eyeglasses=+1" stays readable; the column is made wide enough for the longest word.
    /// </summary>
    static List<string> WrapLabel(string label, float maxWidth, SKFont font)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in label.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (current.Length > 0 && font.MeasureText(candidate) > maxWidth) { lines.Add(current); current = word; }
            else current = candidate;
        }
        if (current.Length > 0) lines.Add(current);
        return lines;
    }
}
