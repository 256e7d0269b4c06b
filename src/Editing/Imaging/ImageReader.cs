using SkiaSharp;

namespace Pipeline.Editing.Imaging;

/// <summary>
/// Decodes PNG, JPEG, WebP (and whatever else Skia reads) to 8-bit RGB: applies the EXIF orientation, converts grey,
/// CMYK and 16-bit sources, and flattens transparency onto white (a face crop with a transparent background should not
/// turn into a black silhouette). Limits are checked on the file size and the declared canvas before decoding.
/// </summary>
public static class ImageReader
{
    public static RgbImage Read(string path, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Default;
        var info = new FileInfo(path);
        if (!info.Exists) throw new ImageDecodeException(path, "file not found");
        if (info.Length > limits.MaxFileBytes)
            throw new ImageDecodeException(path, $"file is {info.Length / (1024.0 * 1024):0.#} MB, over the {limits.MaxFileBytes / (1024.0 * 1024):0.#} MB limit");
        if (info.Length == 0) throw new ImageDecodeException(path, "file is empty");
        using var stream = File.OpenRead(path);
        return Read(stream, path, limits);
    }

    public static RgbImage Read(Stream stream, string item, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Default;
        // The codec reads from an SKData, never from a stream: SKCodec.Create(stream) hands the stream's ownership to
        // native code, which deletes it when the file is not an image, and the managed wrapper's own disposal then
        // freed it again; the test host crashed later, at random, after corrupt files.
        var bytes = ReadBounded(stream, item, limits.MaxFileBytes);
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null)
            throw new ImageDecodeException(item, "not a readable image; PNG, JPEG and WebP are supported");
        var declared = codec.Info;
        if ((long)declared.Width * declared.Height > limits.MaxPixels)
            throw new ImageDecodeException(item, $"image declares {declared.Width}x{declared.Height} pixels, over the {limits.MaxPixels / 1e6:0.#} MP limit");
        if (declared.Width <= 0 || declared.Height <= 0) throw new ImageDecodeException(item, "image has no pixels");

        var target = new SKImageInfo(declared.Width, declared.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul, SKColorSpace.CreateSrgb());
        using var decoded = new SKBitmap(target);
        var status = codec.GetPixels(target, decoded.GetPixels());
        if (status is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            throw new ImageDecodeException(item, $"decoding failed ({status}); the file is corrupt or truncated");
        if (status == SKCodecResult.IncompleteInput)
            throw new ImageDecodeException(item, "the file is truncated (incomplete image data)");

        using var oriented = ApplyOrigin(decoded, codec.EncodedOrigin);
        return ToRgb(oriented);
    }

    static RgbImage ToRgb(SKBitmap bmp)
    {
        var src = bmp.GetPixelSpan();
        int n = bmp.Width * bmp.Height;
        var rgb = new byte[n * 3];
        bool rgba = bmp.ColorType == SKColorType.Rgba8888;
        for (int i = 0; i < n; i++)
        {
            byte c0 = src[4 * i], c1 = src[4 * i + 1], c2 = src[4 * i + 2], a = src[4 * i + 3];
            byte r = rgba ? c0 : c2, g = c1, b = rgba ? c2 : c0;
            if (a != 255)
            {
                // Straight (unpremultiplied) alpha over white.
                r = (byte)Math.Round(r * a / 255.0 + 255 - a);
                g = (byte)Math.Round(g * a / 255.0 + 255 - a);
                b = (byte)Math.Round(b * a / 255.0 + 255 - a);
            }
            rgb[3 * i] = r; rgb[3 * i + 1] = g; rgb[3 * i + 2] = b;
        }
        return new RgbImage(bmp.Width, bmp.Height, rgb);
    }

    /// <summary>Rotates/mirrors so that the pixels are upright as a viewer shows them (EXIF orientation 1–8).</summary>
    static SKBitmap ApplyOrigin(SKBitmap src, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft) return src.Copy();
        bool swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        int w = swap ? src.Height : src.Width, h = swap ? src.Width : src.Height;
        var dst = new SKBitmap(new SKImageInfo(w, h, src.ColorType, src.AlphaType, src.ColorSpace));
        using var canvas = new SKCanvas(dst);
        canvas.Clear(SKColors.Transparent);
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: canvas.Scale(-1, 1, w / 2f, 0); break;
            case SKEncodedOrigin.BottomRight: canvas.RotateDegrees(180, w / 2f, h / 2f); break;
            case SKEncodedOrigin.BottomLeft: canvas.Scale(1, -1, 0, h / 2f); break;
            case SKEncodedOrigin.LeftTop: canvas.Translate(w, 0); canvas.RotateDegrees(90); canvas.Translate(0, h); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.RightTop: canvas.Translate(w, 0); canvas.RotateDegrees(90); break;
            case SKEncodedOrigin.RightBottom: canvas.Translate(w, 0); canvas.RotateDegrees(90); canvas.Translate(src.Width, 0); canvas.Scale(-1, 1); break;
            case SKEncodedOrigin.LeftBottom: canvas.Translate(0, h); canvas.RotateDegrees(270); break;
        }
        using var paint = new SKPaint { BlendMode = SKBlendMode.Src };
        canvas.DrawBitmap(src, 0, 0, paint);
        return dst;
    }

    static byte[] ReadBounded(Stream stream, string item, long maxBytes)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            copy.Write(buffer, 0, read);
            if (copy.Length > maxBytes)
                throw new ImageDecodeException(item, $"file is over the {maxBytes / (1024.0 * 1024):0.#} MB limit");
        }
        if (copy.Length == 0) throw new ImageDecodeException(item, "file is empty");
        return copy.ToArray();
    }
}
