using Pipeline.Editing.Bench;
using Pipeline.Editing.Imaging;
using Pipeline.Faces.Alignment;
using Pipeline.Faces.Detection;
using Pipeline.Faces.Landmarks;
using Pipeline.Faces.PasteBack;

namespace Pipeline.Faces.Benchmarks;

/// <summary>One photo size of <c>pipeline bench align</c>: each step's median for one photo.</summary>
public sealed record AlignmentTiming(string Case, int Width, int Height, int FaceWidth, Timing.Result Decode, Timing.Result Detect,
    Timing.Result Landmarks, Timing.Result Align, Timing.Result Paste)
{
    /// <summary>Everything around the edit: detection, landmarks, alignment and paste-back (decoding is shown apart).</summary>
    public double PathMs => Detect.MedianMs + Landmarks.MedianMs + Align.MedianMs + Paste.MedianMs;

    public double PathCpuMs => Detect.MedianCpuMs + Landmarks.MedianCpuMs + Align.MedianCpuMs + Paste.MedianCpuMs;
}

/// <summary>
/// Times the steps around an edit on one photo made larger by pixel repetition to about 1 and 12 megapixels (a portrait's
/// face grows with it): decoding the PNG, detection, the 68 landmarks, FFHQ alignment to <c>size</c>² and pasting an
/// aligned face of that size back. Each step runs on the thread that calls it; the caller pins the process to one core.
/// </summary>
public static class AlignmentBenchmark
{
    public static IReadOnlyList<AlignmentTiming> Run(RgbImage photo, FaceOptions options, int size, int runs, string scratchDir, Action<string> log)
    {
        var cascade = FaceModels.Landmarks(options.Landmarks);
        using var detector = new FaceDetector(options.Detector);
        var results = new List<AlignmentTiming>();
        foreach (var (name, megapixels) in new[] { ("1 MP", 1.0), ("12 MP", 12.0) })
        {
            var factor = Math.Max(1, (int)Math.Round(Math.Sqrt(megapixels * 1e6 / ((double)photo.Width * photo.Height))));
            var big = Repeat(photo, factor);
            var file = Path.Combine(scratchDir, $"bench-align-{factor}.png");
            ImageWriter.SavePng(big, file);
            var limits = ImageLimits.Default with { MaxPixels = Math.Max(ImageLimits.Default.MaxPixels, (long)big.Width * big.Height) };
            log($"{name}: {big.Width}x{big.Height}, {runs} timed runs after one warm-up");

            var decode = Timing.Measure(() => ImageReader.Read(file, limits), 1, runs);
            IReadOnlyList<FaceBox> boxes = [];
            var detect = Timing.Measure(() => boxes = detector.Detect(big), 1, runs);
            if (boxes.Count == 0)
                throw new InvalidDataException($"no face found in the {name} photo: the benchmark needs a photo with a face");
            var box = boxes[0];
            IReadOnlyList<PixelPoint> points = [];
            var landmarks = Timing.Measure(() => points = cascade.Predict(big, box), 1, runs);
            var quad = FaceQuad.From(points);
            AlignedFace aligned = null!;
            var align = Timing.Measure(() => aligned = FfhqAligner.Align(big, quad, size), 1, runs);
            var face = EditedFace.FromImage(aligned.SampledQuad, aligned.Image);
            var paste = Timing.Measure(() => FacePaste.Paste(big, [face], new FeatherMask()), 1, runs);
            File.Delete(file);
            results.Add(new AlignmentTiming(name, big.Width, big.Height, box.Width, decode, detect, landmarks, align, paste));
        }
        return results;
    }

    private static RgbImage Repeat(RgbImage photo, int factor)
    {
        if (factor == 1)
            return photo;
        int w = photo.Width * factor, h = photo.Height * factor;
        var rgb = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
                Array.Copy(photo.Rgb, 3 * ((y / factor) * photo.Width + x / factor), rgb, 3 * (y * w + x), 3);
        return new RgbImage(w, h, rgb);
    }
}
