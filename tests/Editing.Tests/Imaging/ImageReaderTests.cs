using Pipeline.Editing.Imaging;
using SkiaSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Imaging;

public class When_reading_input_images : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("img-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static RgbImage Pattern(int w, int h)
    {
        var rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = 3 * (y * w + x);
                rgb[i] = (byte)(x * 255 / Math.Max(1, w - 1)); rgb[i + 1] = (byte)(y * 255 / Math.Max(1, h - 1)); rgb[i + 2] = (byte)((x + y) * 255 / (w + h));
            }
        return new RgbImage(w, h, rgb);
    }

    string Encode(RgbImage img, SKEncodedImageFormat format, string name, int quality = 100)
    {
        using var bmp = ImageWriter.ToBitmap(img);
        using var data = bmp.Encode(format, quality);
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    [Fact]
    public void Should_round_trip_png_exactly_and_decode_webp_losslessly()
    {
        var img = Pattern(17, 9);
        var png = ImageReader.Read(Encode(img, SKEncodedImageFormat.Png, "a.png"));
        Assert.Equal(img.Rgb, png.Rgb);
        var webp = ImageReader.Read(Encode(img, SKEncodedImageFormat.Webp, "a.webp", 100));
        Assert.Equal((17, 9), (webp.Width, webp.Height));
        var smooth = Pattern(64, 48);
        var jpeg = ImageReader.Read(Encode(smooth, SKEncodedImageFormat.Jpeg, "a.jpg", 95));
        Assert.True(jpeg.Rgb.Zip(smooth.Rgb, (a, b) => Math.Abs(a - b)).Average() < 8, "JPEG decode is far from the source");
    }

    [Fact]
    public void Should_convert_grey_to_equal_channels_and_flatten_alpha_onto_white()
    {
        using (var grey = new SKBitmap(new SKImageInfo(4, 4, SKColorType.Gray8, SKAlphaType.Opaque)))
        {
            grey.Erase(new SKColor(90, 90, 90));
            using var data = grey.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(_dir, "g.png"), data.ToArray());
        }
        var g = ImageReader.Read(Path.Combine(_dir, "g.png"));
        Assert.All(Enumerable.Range(0, 16), i => Assert.True(g.Rgb[3 * i] == 90 && g.Rgb[3 * i + 1] == 90 && g.Rgb[3 * i + 2] == 90));

        using (var rgba = new SKBitmap(new SKImageInfo(2, 1, SKColorType.Rgba8888, SKAlphaType.Unpremul)))
        {
            rgba.SetPixel(0, 0, new SKColor(0, 0, 0, 0));
            rgba.SetPixel(1, 0, new SKColor(200, 10, 10, 255));
            using var data = rgba.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(_dir, "t.png"), data.ToArray());
        }
        var t = ImageReader.Read(Path.Combine(_dir, "t.png"));
        Assert.Equal(new byte[] { 255, 255, 255, 200, 10, 10 }, t.Rgb);
    }

    [Fact]
    public void Should_apply_the_exif_orientation()
    {
        // 16x8 image: left half red, right half blue; EXIF orientation 6 means "rotate 90° clockwise to display".
        var px = new byte[16 * 8 * 3];
        for (int i = 0; i < 16 * 8; i++) { bool left = i % 16 < 8; px[3 * i] = (byte)(left ? 255 : 0); px[3 * i + 2] = (byte)(left ? 0 : 255); }
        var img = new RgbImage(16, 8, px);
        var path = Encode(img, SKEncodedImageFormat.Jpeg, "o.jpg", 100);
        var bytes = File.ReadAllBytes(path).ToList();
        byte[] tiff = { (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0 };
        var exif = new List<byte> { (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0 };
        exif.AddRange(tiff);
        int len = exif.Count + 2;
        var app1 = new List<byte> { 0xFF, 0xE1, (byte)(len >> 8), (byte)(len & 0xFF) };
        app1.AddRange(exif);
        bytes.InsertRange(2, app1);
        File.WriteAllBytes(path, bytes.ToArray());

        var rotated = ImageReader.Read(path);
        Assert.Equal((8, 16), (rotated.Width, rotated.Height));
        int top = 3 * (1 * 8 + 4), bottom = 3 * (14 * 8 + 4);
        Assert.True(rotated.Rgb[top] > 150 && rotated.Rgb[top + 2] < 100, "the top should be the red half after a clockwise turn");
        Assert.True(rotated.Rgb[bottom + 2] > 150 && rotated.Rgb[bottom] < 100, "the bottom should be the blue half");
    }

    [Fact]
    public void Should_refuse_corrupt_truncated_and_oversized_files_naming_them()
    {
        var junk = Path.Combine(_dir, "junk.png");
        File.WriteAllText(junk, "this is not an image");
        var e1 = Assert.Throws<ImageDecodeException>(() => ImageReader.Read(junk));
        Assert.Contains("junk.png", e1.Message);

        var good = Encode(Pattern(64, 64), SKEncodedImageFormat.Png, "big.png");
        var e2 = Assert.Throws<ImageDecodeException>(() => ImageReader.Read(good, new ImageLimits { MaxPixels = 1000 }));
        Assert.Contains("MP limit", e2.Message);
        var e3 = Assert.Throws<ImageDecodeException>(() => ImageReader.Read(good, new ImageLimits { MaxFileBytes = 10 }));
        Assert.Contains("MB limit", e3.Message);

        var jpg = Encode(Pattern(64, 64), SKEncodedImageFormat.Jpeg, "cut.jpg", 90);
        var b = File.ReadAllBytes(jpg);
        File.WriteAllBytes(jpg, b[..(b.Length / 2)]);
        var e4 = Assert.Throws<ImageDecodeException>(() => ImageReader.Read(jpg));
        Assert.Contains("cut.jpg", e4.Message);
    }

    [Fact]
    public void Should_refuse_a_wrong_size_unless_resize_or_crop_is_asked()
    {
        using var x = Pattern(40, 20).ToTensor();
        var e = Assert.Throws<ImageDecodeException>(() => SizePolicy.Fit(x, 16, SizeMode.Refuse, "p.png"));
        Assert.Contains("--resize", e.Message);
        using var area = SizePolicy.Fit(x, 16, SizeMode.ResizeArea, "p.png");
        Assert.Equal(new long[] { 1, 3, 16, 16 }, area.shape);
        using var crop = SizePolicy.Fit(x, 16, SizeMode.CropCenter, "p.png");
        Assert.True(crop.equal(x[.., .., TensorIndex.Slice(2, 18), TensorIndex.Slice(12, 28)]).all().item<bool>());
        Assert.Throws<ImageDecodeException>(() => SizePolicy.Fit(x, 32, SizeMode.CropCenter, "p.png"));
    }

    [Fact]
    public void Should_map_pixels_to_minus_one_one_and_back_exactly()
    {
        var img = Pattern(5, 3);
        using var t = img.ToTensor();
        Assert.True(t.min().item<float>() >= -1 && t.max().item<float>() <= 1);
        Assert.Equal(img.Rgb, RgbImage.FromTensor(t).Rgb);
    }
}
