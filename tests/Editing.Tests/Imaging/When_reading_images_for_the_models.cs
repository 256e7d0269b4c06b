using System.Diagnostics;
using Pipeline.Editing.Imaging;
using SkiaSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Imaging;

/// <summary>
/// The reader decodes for what the models need: the canvas a header declares is checked before any pixel exists, and a
/// large canvas is decoded row by row into about twice the models' size (area/bicubic) or the centre crop, so memory
/// does not follow the canvas. Memory is measured as the managed bytes allocated and the growth of the process's peak
/// resident set (reset through /proc/self/clear_refs; this assembly runs one test at a time).
/// </summary>
public class When_reading_images_for_the_models : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("img-model-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    const long MB = 1024 * 1024;

    /// <summary>Runs <paramref name="action"/> and returns (managed bytes allocated, growth of the peak RSS or null
    /// where the peak cannot be reset).</summary>
    static (long Managed, long? PeakGrowth) Measure(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        bool reset = TryResetPeak();
        long rss = Environment.WorkingSet, managed = GC.GetTotalAllocatedBytes(precise: true);
        action();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - managed;
        return (allocated, reset ? PeakRss() - rss : null);
    }

    static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    static long PeakRss()
    {
        var line = File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    [Fact]
    public void Should_refuse_a_bomb_from_its_header_before_allocating()
    {
        var bomb = Path.Combine(_dir, "bomb.png");
        HandMadeImages.WritePng(bomb, 20000, 20000, rows: 1);
        Assert.True(new FileInfo(bomb).Length < 4096, "the bomb should be a small file");

        ImageDecodeException? refused = null;
        var (managed, peak) = Measure(() => refused = Assert.Throws<ImageDecodeException>(() =>
            ImageReader.Read(bomb, DecodeTarget.ForModel(256, SizeMode.ResizeArea))));

        Assert.Contains("20000x20000", refused!.Message);
        Assert.Contains("MP limit", refused.Message);
        Assert.True(managed < 16 * MB, $"{managed / MB} MB managed allocated to refuse a bomb");
        if (peak is { } growth) Assert.True(growth < 200 * MB, $"peak RSS grew by {growth / MB} MB to refuse a bomb");
    }

    [Fact]
    public void Should_decode_an_8192_canvas_for_a_256_model_in_bounded_memory()
    {
        var big = Path.Combine(_dir, "big.png");
        HandMadeImages.WritePng(big, 8192, 8192, level: 200);

        RgbImage? reduced = null;
        var clock = Stopwatch.StartNew();
        var (managed, peak) = Measure(() => reduced = ImageReader.Read(big, DecodeTarget.ForModel(256, SizeMode.ResizeArea)));

        Assert.Equal((256, 256), (reduced!.Width, reduced.Height));
        Assert.All(reduced.Rgb, v => Assert.Equal(200, v));
        using var input = reduced.ToTensor();
        using var fitted = SizePolicy.Fit(input, 256, SizeMode.ResizeArea, "big.png");
        Assert.Equal(new long[] { 1, 3, 256, 256 }, fitted.shape);
        // The canvas is 256 MB of RGBA and 768 MB as a float tensor; the resized image is 0.2 MB.
        Assert.True(managed < 48 * MB, $"{managed / MB} MB managed allocated for an 8192x8192 PNG (a band of rows is 32 MB)");
        if (peak is { } growth) Assert.True(growth < 200 * MB, $"peak RSS grew by {growth / MB} MB for an 8192x8192 PNG");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"decoding took {clock.Elapsed}");

        var wrong = Assert.Throws<ImageDecodeException>(() => ImageReader.Read(big, DecodeTarget.ForModel(256, SizeMode.Refuse)));
        Assert.Contains("8192x8192", wrong.Message);
        Assert.Contains("--resize", wrong.Message);
    }

    [Fact]
    public void Should_crop_a_large_canvas_to_the_centre_without_decoding_the_rest_at_once()
    {
        var big = Path.Combine(_dir, "big.png");
        HandMadeImages.WritePng(big, 8192, 8192, level: 90);
        RgbImage? crop = null;
        var (managed, _) = Measure(() => crop = ImageReader.Read(big, DecodeTarget.ForModel(256, SizeMode.CropCenter)));
        Assert.Equal((256, 256), (crop!.Width, crop.Height));
        Assert.All(crop.Rgb, v => Assert.Equal(90, v));
        Assert.True(managed < 32 * MB, $"{managed / MB} MB managed allocated for a centre crop");
    }

    static RgbImage Texture(int w, int h, int seed)
    {
        var random = new Random(seed);
        var rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                    rgb[3 * (y * w + x) + c] = (byte)Math.Clamp(128 + 90 * Math.Sin((x * (c + 1) + y * (3 - c)) / 37.0) + random.Next(-30, 30), 0, 255);
        return new RgbImage(w, h, rgb);
    }

    string Save(RgbImage image, string name, SKEncodedImageFormat format = SKEncodedImageFormat.Png, int? orientation = null)
    {
        using var bmp = ImageWriter.ToBitmap(image);
        using var data = bmp.Encode(format, 100);
        var bytes = data.ToArray();
        if (orientation is { } o) bytes = HandMadeImages.WithOrientation(bytes, o);
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Should_resize_by_area_window_by_window_as_the_whole_canvas_resizes()
    {
        var path = Save(Texture(1100, 700, 3), "t.png");
        using var whole = ImageReader.Read(path).ToTensor();
        using var expected = SizePolicy.Fit(whole, 100, SizeMode.ResizeArea, "t.png");
        var resized = ImageReader.Read(path, DecodeTarget.ForModel(100, SizeMode.ResizeArea));
        Assert.Equal((100, 100), (resized.Width, resized.Height));
        using var actual = resized.ToTensor();
        using var levels = (actual - expected).abs() * 127.5;
        // Only the rounding to 8 bits: at most half a level.
        Assert.True(levels.max().item<float>() <= 0.5001, $"max {levels.max().item<float>():0.###} levels");
    }

    [Fact]
    public void Should_resize_a_box_reduced_canvas_close_to_the_whole_canvas_bicubic()
    {
        // 2100x1700 for a 100 model: boxes of 5x4 leave 420x425 for the antialiased bicubic.
        var path = Save(Texture(2100, 1700, 3), "t.png");
        using var whole = ImageReader.Read(path).ToTensor();
        using var expected = SizePolicy.Fit(whole, 100, SizeMode.ResizeBicubic, "t.png");
        var reduced = ImageReader.Read(path, DecodeTarget.ForModel(100, SizeMode.ResizeBicubic));
        Assert.Equal((420, 425), (reduced.Width, reduced.Height));
        using var input = reduced.ToTensor();
        using var actual = SizePolicy.Fit(input, 100, SizeMode.ResizeBicubic, "t.png");
        using var levels = (actual - expected).abs() * 127.5;
        double mean = levels.mean().item<float>(), max = levels.max().item<float>();
        Assert.True(mean < 1.5 && max < 10, $"mean {mean:0.###} levels, max {max:0.#}");
    }

    /// <summary>What a viewer shows for each EXIF orientation, as the standard states it: the stored image mirrored
    /// and/or turned.</summary>
    static (int X, int Y) Shown(int orientation, int x, int y, int w, int h) => orientation switch
    {
        2 => (w - 1 - x, y),
        3 => (w - 1 - x, h - 1 - y),
        4 => (x, h - 1 - y),
        5 => (y, x),
        6 => (h - 1 - y, x),
        7 => (h - 1 - y, w - 1 - x),
        8 => (y, w - 1 - x),
        _ => (x, y),
    };

    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)] [InlineData(6)] [InlineData(7)] [InlineData(8)]
    public void Should_turn_upright_and_crop_the_same_centre_for_every_exif_orientation(int orientation)
    {
        // Odd margins (21-8, 14-8 → 13, 6) catch a centre rounded the other way in the stored frame.
        const int w = 21, h = 14, size = 8;
        var stored = Texture(w, h, orientation);
        var jpeg = Save(stored, $"o{orientation}.jpg", SKEncodedImageFormat.Jpeg, orientation);
        var asStored = Save(stored, $"s{orientation}.jpg", SKEncodedImageFormat.Jpeg);
        var plain = ImageReader.Read(asStored);

        var upright = ImageReader.Read(jpeg);
        bool swap = orientation >= 5;
        Assert.Equal(swap ? (h, w) : (w, h), (upright.Width, upright.Height));
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var (sx, sy) = Shown(orientation, x, y, w, h);
                for (int c = 0; c < 3; c++)
                    Assert.Equal(plain.Rgb[3 * (y * w + x) + c], upright.Rgb[3 * (sy * upright.Width + sx) + c]);
            }

        using var whole = upright.ToTensor();
        using var expected = SizePolicy.Fit(whole, size, SizeMode.CropCenter, "o.jpg");
        using var crop = ImageReader.Read(jpeg, DecodeTarget.ForModel(size, SizeMode.CropCenter)).ToTensor();
        Assert.True(crop.equal(expected).all().item<bool>(), $"orientation {orientation}: the centre crop differs from the crop of the upright image");
    }

    [Fact]
    public void Should_refuse_gif_tiff_avif_and_bmp_naming_the_format()
    {
        foreach (var (name, bytes, format) in new[]
                 {
                     ("a.gif", HandMadeImages.Gif, "GIF"), ("a.tiff", HandMadeImages.Tiff(), "TIFF"),
                     ("a.avif", HandMadeImages.AvifHeader, "AVIF"), ("a.bmp", HandMadeImages.Bmp(), "BMP"),
                 })
        {
            var path = Path.Combine(_dir, name);
            File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<ImageDecodeException>(() => ImageReader.Read(path));
            Assert.Contains(name, e.Message);
            Assert.Contains($"{format} images are not supported", e.Message);
        }
    }
}
