using SkiaSharp;

namespace Pipeline.Editing.Imaging;

/// <summary>
/// The typeface for labels. The Linux Skia build without fontconfig has no default font, so the Debian DejaVu files
/// are loaded directly when present; otherwise Skia's default is used.
/// </summary>
public static class LabelFont
{
    static readonly string[] Candidates =
    {
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    };

    static readonly Lazy<SKTypeface> Lazy = new(() =>
    {
        foreach (var path in Candidates)
            if (File.Exists(path) && SKTypeface.FromFile(path) is { } tf) return tf;
        return SKTypeface.Default;
    });

    public static SKTypeface Typeface => Lazy.Value;
}
