using OpenCvSharp;
using Pipeline.Editing.Imaging;
using Pipeline.Faces.Landmarks;

namespace Pipeline.Faces.Detection;

/// <summary>
/// Finds frontal faces with one of OpenCV's cascade classifiers (Viola–Jones boosted cascades; Debian's opencv-data
/// ships the trained files): the photo in grey, downscaled to at most <see cref="FaceDetectorOptions.SearchPixels"/>,
/// then searched octave by octave (<see cref="SearchPyramid"/>); the raw hits of every octave are grouped together as
/// OpenCV groups them, and each face comes back as a dlib-like box (<see cref="DlibBoxMapping"/>), largest first.
/// Groups that overlap by a third of the smaller one are one face, and the tighter box stays: the cascade also fires on
/// a head with its hair at about twice the face's size (messi5.jpg: 37 and 76 px boxes over one face).
/// The grey image is not histogram-equalised: the cascade normalises each window's contrast itself, and equalising a
/// photo that is mostly flat (a small face on a large plain canvas) stretches its noise and cost faces (docs/faces.md).
/// One detector serves one thread at a time (OpenCV's classifier keeps per-call state).
/// </summary>
public sealed class FaceDetector : IDisposable
{
    /// <summary>OpenCV's grouping tolerance (its detectMultiScale's GROUP_EPS).</summary>
    private const double GroupEps = 0.2;

    private readonly CascadeClassifier _classifier;
    private readonly FaceDetectorOptions _options;
    private readonly int _window;
    private readonly Lock _gate = new();

    public FaceDetector(FaceDetectorOptions options)
    {
        if (!File.Exists(options.Cascade))
            throw new FileNotFoundException(
                options.Cascade == FaceDetectorOptions.DebianCascade
                    ? $"the face detector's cascade {options.Cascade} is missing; Debian's {FaceDetectorOptions.DebianPackage} package installs it (apt-get install {FaceDetectorOptions.DebianPackage})"
                    : $"the face detector's cascade {options.Cascade} is missing",
                options.Cascade);
        _options = options;
        _classifier = new CascadeClassifier(options.Cascade);
        if (_classifier.Empty())
            throw new InvalidDataException($"{options.Cascade} is not an OpenCV cascade classifier");
        var window = _classifier.GetOriginalWindowSize();
        _window = Math.Max(window.Width, window.Height);
    }

    public FaceDetectorOptions Options => _options;

    /// <summary>Every face found, as dlib-like boxes in source pixels, largest first.</summary>
    public IReadOnlyList<FaceBox> Detect(RgbImage photo)
    {
        using var rgb = Mat.FromPixelData(photo.Height, photo.Width, MatType.CV_8UC3, photo.Rgb);
        using var grey = new Mat();
        Cv2.CvtColor(rgb, grey, ColorConversionCodes.RGB2GRAY);
        var scale = Math.Min(1.0, Math.Sqrt(_options.SearchPixels / ((double)photo.Width * photo.Height)));
        using var search = new Mat();
        if (scale < 1)
            Cv2.Resize(grey, search, new Size(Math.Max(1, (int)Math.Round(photo.Width * scale)), Math.Max(1, (int)Math.Round(photo.Height * scale))),
                interpolation: InterpolationFlags.Area);
        else
            grey.CopyTo(search);
        double sx = (double)photo.Width / search.Width, sy = (double)photo.Height / search.Height;
        List<Rect> hits;
        lock (_gate)
            hits = SearchPyramid.RawHits(_classifier, _window, search, _options.FinestScaleFactor, _options.ScaleFactor);
        Cv2.GroupRectangles(hits, _options.MinNeighbours, GroupEps);
        var kept = new List<FaceBox>();
        foreach (var box in hits.Select(h => DlibBoxMapping.FromCascade(h.X * sx, h.Y * sy, h.Width * sx)).OrderBy(b => b.Area).ThenBy(b => b.Left))
            if (!kept.Any(k => Intersection(k, box) * 3 >= Math.Min(k.Area, box.Area)))
                kept.Add(box);
        return kept.OrderByDescending(b => b.Area).ThenBy(b => b.Left).ThenBy(b => b.Top).ToList();
    }

    private static long Intersection(FaceBox a, FaceBox b)
    {
        long w = Math.Min(a.Right, b.Right) - Math.Max(a.Left, b.Left) + 1, h = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Top, b.Top) + 1;
        return w > 0 && h > 0 ? w * h : 0;
    }

    public void Dispose() => _classifier.Dispose();
}
