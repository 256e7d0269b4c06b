using System.Runtime.InteropServices;
using SkiaSharp;

namespace Pipeline.Editing.Imaging;

/// <summary>
/// Feeds a codec's rows to a <see cref="RowSink"/>: row by row through Skia's scanline decoder where the codec has one
/// (JPEG), so memory holds one row of the canvas; in bands of rows where it decodes a row range (PNG: incremental
/// decoding with a subset, each band decoded from the top again, rows before it skipped), so memory holds one band
/// (<see cref="BandBytes"/>); by the codec's own scaling where it does neither but scales while decoding (WebP, to a
/// <see cref="BoxSink"/>'s size); otherwise the whole canvas at once (bounded by <see cref="ImageLimits.MaxPixels"/>).
/// </summary>
internal static class RowDecoder
{
    /// <summary>The most a band of rows may take: fewer bands mean fewer passes over the rows above each.</summary>
    public const int BandBytes = 32 * 1024 * 1024;

    public static RgbImage Decode(SKCodec codec, RowSink sink, string item)
    {
        var info = codec.Info;
        var target = Rgba(info.Width, info.Height);
        if (codec.StartScanlineDecode(target) == SKCodecResult.Success && codec.ScanlineOrder == SKCodecScanlineOrder.TopDown)
        {
            var row = GC.AllocateArray<byte>(target.RowBytes, pinned: true);
            var address = Marshal.UnsafeAddrOfPinnedArrayElement(row, 0);
            if (sink.FirstRow > 0 && !codec.SkipScanlines(sink.FirstRow)) throw Truncated(item);
            for (int y = sink.FirstRow; y < sink.EndRow; y++)
            {
                if (codec.GetScanlines(address, 1, target.RowBytes) != 1) throw Truncated(item);
                sink.Add(y, row);
            }
            return sink.Result();
        }
        if (DecodeBands(codec, target, sink, item)) return sink.Result();
        if (sink is BoxSink box && (box.OutWidth, box.OutHeight) != (info.Width, info.Height))
        {
            var scaled = Rgba(box.OutWidth, box.OutHeight);
            using var small = new SKBitmap(scaled);
            var result = codec.GetPixels(scaled, small.GetPixels());
            if (result is SKCodecResult.Success) return box.FromScaled(small.GetPixelSpan());
            if (result is not SKCodecResult.InvalidScale) throw Failed(item, result);
        }
        using var whole = new SKBitmap(target);
        var status = codec.GetPixels(target, whole.GetPixels());
        if (status is not SKCodecResult.Success) throw Failed(item, status);
        var pixels = whole.GetPixelSpan();
        for (int y = sink.FirstRow; y < sink.EndRow; y++)
            sink.Add(y, pixels.Slice(y * whole.RowBytes, whole.RowBytes));
        return sink.Result();
    }

    static bool DecodeBands(SKCodec codec, SKImageInfo target, RowSink sink, string item)
    {
        int rows = Math.Clamp(BandBytes / target.RowBytes, 1, sink.EndRow - sink.FirstRow);
        var band = GC.AllocateArray<byte>(rows * target.RowBytes, pinned: true);
        var address = Marshal.UnsafeAddrOfPinnedArrayElement(band, 0);
        for (int top = sink.FirstRow; top < sink.EndRow; top += rows)
        {
            int bottom = Math.Min(top + rows, sink.EndRow);
            var start = codec.StartIncrementalDecode(target, address, target.RowBytes, new SKCodecOptions(new SKRectI(0, top, target.Width, bottom)));
            if (start != SKCodecResult.Success)
            {
                if (top == sink.FirstRow && start is SKCodecResult.Unimplemented or SKCodecResult.InvalidParameters) return false;
                throw Failed(item, start);
            }
            var status = codec.IncrementalDecode(out _);
            if (status != SKCodecResult.Success) throw Failed(item, status);
            for (int y = top; y < bottom; y++)
                sink.Add(y, band.AsSpan((y - top) * target.RowBytes, target.RowBytes));
        }
        return true;
    }

    static SKImageInfo Rgba(int width, int height) =>
        new(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul, SKColorSpace.CreateSrgb());

    static ImageDecodeException Truncated(string item) => new(item, "the file is truncated (incomplete image data)");

    static ImageDecodeException Failed(string item, SKCodecResult status) => status == SKCodecResult.IncompleteInput
        ? Truncated(item)
        : new ImageDecodeException(item, $"decoding failed ({status}); the file is corrupt or truncated");
}
