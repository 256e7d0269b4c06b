using System.Text;
using SkiaSharp;

namespace Pipeline.Editing.Imaging;

/// <summary>
/// The image formats an input may be (PNG, JPEG, WebP: what the workers and the HTTP API take) and the names of the
/// common ones it may not, told from the first bytes so that a refusal says which format it met.
/// </summary>
public static class ImageFormats
{
    public const string Supported = "PNG, JPEG and WebP";

    /// <summary>Bytes enough for <see cref="Name"/>.</summary>
    public const int HeaderBytes = 16;

    /// <summary>The format a file's first bytes announce, or null when they announce none this class knows.</summary>
    public static string? Name(ReadOnlySpan<byte> head)
    {
        if (Starts(head, [0x89, (byte)'P', (byte)'N', (byte)'G'])) return "PNG";
        if (Starts(head, [0xFF, 0xD8, 0xFF])) return "JPEG";
        if (Starts(head, "RIFF"u8) && Starts(head, "WEBP"u8, 8)) return "WebP";
        if (Starts(head, "GIF8"u8)) return "GIF";
        if (Starts(head, "BM"u8)) return "BMP";
        if (Starts(head, "II*\0"u8) || Starts(head, "MM\0*"u8)) return "TIFF";
        if (Starts(head, [0x00, 0x00, 0x01, 0x00])) return "ICO";
        if (Starts(head, "8BPS"u8)) return "PSD";
        if (Starts(head, [0xFF, 0x0A]) || Starts(head, [0x00, 0x00, 0x00, 0x0C, (byte)'J', (byte)'X', (byte)'L', (byte)' '])) return "JPEG XL";
        if (Starts(head, "ftyp"u8, 4) && head.Length >= 12)
            return Encoding.ASCII.GetString(head.Slice(8, 4)) switch
            {
                "avif" or "avis" => "AVIF",
                "heic" or "heix" or "hevc" or "mif1" or "msf1" => "HEIF",
                _ => null,
            };
        return null;
    }

    static bool Starts(ReadOnlySpan<byte> head, ReadOnlySpan<byte> magic, int at = 0) =>
        head.Length >= at + magic.Length && head.Slice(at, magic.Length).SequenceEqual(magic);

    public static bool IsSupported(SKEncodedImageFormat format) =>
        format is SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Webp;

    /// <summary>Why a file whose first bytes are <paramref name="head"/> is refused before any codec opens it, or null.</summary>
    public static string? Refusal(ReadOnlySpan<byte> head) => Name(head) switch
    {
        null or "PNG" or "JPEG" or "WebP" => null,
        var other => Unsupported(other),
    };

    public static string Unsupported(string format) => $"{format} images are not supported; {Supported} are";
}
