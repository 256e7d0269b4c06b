using SkiaSharp;

namespace Pipeline.Editing.Imaging;

/// <summary>
/// Decodes PNG, JPEG and WebP to 8-bit RGB: applies the EXIF orientation, converts grey, CMYK and 16-bit sources, and
/// flattens transparency onto white (a face crop with a transparent background should not turn into a black
/// silhouette). Other formats (GIF, TIFF, AVIF, BMP…) are refused by name.
/// <para>Bounded before any pixel exists: a path is checked with <c>lstat</c> (<see cref="InputFolder.Check"/>: a FIFO
/// is never opened), the bytes read stop at <see cref="ImageLimits.MaxFileBytes"/>, and the canvas the header declares
/// (Skia's codec parses the header only) must be within <see cref="ImageLimits.MaxPixels"/> and, for the models, be one
/// the size policy can fit (a wrong size without <c>--resize</c>/<c>--crop</c> is refused from the header).</para>
/// <para>Decoded for what the caller needs (<see cref="DecodeTarget"/>), in rows that are dropped as they are used
/// (<see cref="RowDecoder"/>: JPEG line by line, PNG in bands of at most 32 MB): for the models only the centre crop
/// is kept, or the area resize is summed window by window straight to the models' size, or (bicubic) rows are
/// averaged in boxes down to between 4 and 8 times the models' size before <see cref="SizePolicy.Fit"/>; WebP is
/// scaled by its own decoder. Memory per item is then the file bytes (twice) plus one band plus a few times the
/// models' size, whatever the canvas. Skia holds the whole canvas for an interlaced PNG or a progressive JPEG (in the
/// codec's own buffers), and the full-canvas decode (<see cref="DecodeTarget.Full"/>, used by <c>--align</c>) holds it
/// by design: there <see cref="ImageLimits.MaxPixels"/> (64 MP, 256 MB of RGBA) is the bound.</para>
/// </summary>
public static class ImageReader
{
    public static RgbImage Read(string path, ImageLimits? limits = null) => Read(path, DecodeTarget.Full, limits);

    public static RgbImage Read(string path, DecodeTarget target, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Default;
        if (InputFolder.Check(path, folder: null, limits).Refusal is { } refusal)
            throw new ImageDecodeException(path, refusal);
        using var stream = File.OpenRead(path);
        return Read(stream, path, target, limits);
    }

    public static RgbImage Read(Stream stream, string item, ImageLimits? limits = null) => Read(stream, item, DecodeTarget.Full, limits);

    public static RgbImage Read(Stream stream, string item, DecodeTarget target, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Default;
        // The codec reads from an SKData, never from a stream: SKCodec.Create(stream) hands the stream's ownership to
        // native code, which deletes it when the file is not an image, and the managed wrapper's own disposal then
        // freed it again; the test host crashed later, at random, after corrupt files.
        var (bytes, length) = ReadBounded(stream, item, limits);
        using var data = SKData.CreateCopy(bytes, (ulong)length);
        bytes = null;
        using var codec = Open(data, item, limits);
        var origin = codec.EncodedOrigin;
        var sink = Plan(codec.Info.Width, codec.Info.Height, origin, target, item);
        return ImageOrientation.Upright(RowDecoder.Decode(codec, sink, item), origin);
    }

    /// <summary>The header checks of <see cref="Read(Stream,string,DecodeTarget,ImageLimits?)"/> without decoding: what
    /// a client runs on a file before it uploads it.</summary>
    public static void Check(byte[] bytes, string item, DecodeTarget target, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Default;
        if (limits.CheckFileBytes(bytes.Length) is { } refusal) throw new ImageDecodeException(item, refusal);
        using var data = SKData.CreateCopy(bytes);
        using var codec = Open(data, item, limits);
        Plan(codec.Info.Width, codec.Info.Height, codec.EncodedOrigin, target, item);
    }

    static SKCodec Open(SKData data, string item, ImageLimits limits)
    {
        var head = data.AsSpan()[..(int)Math.Min(data.Size, ImageFormats.HeaderBytes)];
        if (ImageFormats.Refusal(head) is { } refusal) throw new ImageDecodeException(item, refusal);
        var codec = SKCodec.Create(data)
                    ?? throw new ImageDecodeException(item, $"not a readable image; {ImageFormats.Supported} are supported");
        try
        {
            if (!ImageFormats.IsSupported(codec.EncodedFormat))
                throw new ImageDecodeException(item, ImageFormats.Unsupported(codec.EncodedFormat.ToString().ToUpperInvariant()));
            var declared = codec.Info;
            if ((long)declared.Width * declared.Height > limits.MaxPixels)
                throw new ImageDecodeException(item, $"image declares {declared.Width}x{declared.Height} pixels, over the {limits.MaxPixels / 1e6:0.#} MP limit");
            if (declared.Width <= 0 || declared.Height <= 0) throw new ImageDecodeException(item, "image has no pixels");
            return codec;
        }
        catch
        {
            codec.Dispose();
            throw;
        }
    }

    /// <summary>What to keep of the stored canvas (<paramref name="width"/>×<paramref name="height"/>, before the
    /// orientation turns it) for <paramref name="target"/>; refuses from the header a size the policy cannot fit.</summary>
    static RowSink Plan(int width, int height, SKEncodedOrigin origin, DecodeTarget target, string item)
    {
        var whole = new SKRectI(0, 0, width, height);
        if (target.IsFull) return new CropSink(whole);
        bool swap = ImageOrientation.SwapsAxes(origin);
        int shownWidth = swap ? height : width, shownHeight = swap ? width : height, size = target.Size;
        SizePolicy.CheckDeclared(shownWidth, shownHeight, size, target.Mode, item);
        switch (target.Mode)
        {
            case SizeMode.CropCenter:
                int left = (shownWidth - size) / 2, top = (shownHeight - size) / 2;
                return new CropSink(ImageOrientation.ToStored(origin, new SKRectI(left, top, left + size, top + size), width, height));
            case SizeMode.ResizeArea when shownWidth >= 2 * size && shownHeight >= 2 * size:
                // The area resize itself, window by window: square, so the same in the stored frame.
                return new AreaSink(width, height, size, size);
            case SizeMode.ResizeBicubic:
                // Boxes that leave at least 4 times the models' size on each side, so the antialiased bicubic still sees detail.
                int kx = Math.Max(1, shownWidth / (4 * size)), ky = Math.Max(1, shownHeight / (4 * size));
                if (swap) (kx, ky) = (ky, kx);
                return kx == 1 && ky == 1 ? new CropSink(whole) : new BoxSink(width, height, kx, ky);
            default:
                return new CropSink(whole);
        }
    }

    static (byte[] Bytes, int Length) ReadBounded(Stream stream, string item, ImageLimits limits)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            copy.Write(buffer, 0, read);
            if (copy.Length > limits.MaxFileBytes)
                throw new ImageDecodeException(item, limits.OverFileBytes());
        }
        if (copy.Length == 0) throw new ImageDecodeException(item, "file is empty");
        return (copy.GetBuffer(), (int)copy.Length);
    }
}
