using SkiaSharp;

namespace Pipeline.Editing.Imaging;

/// <summary>Writes RGB images as PNG (lossless: outputs feed metrics, so no JPEG artefacts).</summary>
public static class ImageWriter
{
    public static void SavePng(RgbImage image, string path)
    {
        var bytes = EncodePng(image);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, path, overwrite: true);
    }

    public static byte[] EncodePng(RgbImage image)
    {
        using var bmp = ToBitmap(image);
        using var data = bmp.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public static SKBitmap ToBitmap(RgbImage image)
    {
        var bmp = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var dst = bmp.GetPixelSpan();
        var src = image.Rgb;
        for (int i = 0, n = image.Width * image.Height; i < n; i++)
        {
            dst[4 * i] = src[3 * i]; dst[4 * i + 1] = src[3 * i + 1]; dst[4 * i + 2] = src[3 * i + 2]; dst[4 * i + 3] = 255;
        }
        return bmp;
    }
}
