using OpenCvSharp;

namespace Pipeline.Faces.Detection;

/// <summary>
/// The cascade run octave by octave: the search image, then halves of it (area averaging), each searched only for
/// windows from the cascade's own size up to twice it, so every window is scanned at OpenCV's 2-pixel stride of its
/// image (one call over all scales scans windows past twice the cascade's size pixel by pixel: four times the windows
/// for the large faces, which need them least). The finest octave, the search image itself, is more than half of all
/// the work and is scanned with its own, coarser scale step. The hits come back raw, in search-image pixels, for
/// grouping across octaves.
/// </summary>
internal static class SearchPyramid
{
    public static List<Rect> RawHits(CascadeClassifier classifier, int window, Mat search, double finestStep, double step)
    {
        var hits = new List<Rect>();
        var image = search;
        int width = search.Width, height = search.Height;
        var factor = 1.0;
        try
        {
            for (var octave = 0; width >= window && height >= window; octave++)
            {
                var last = width / 2 < window || height / 2 < window;
                // OpenCV stops at the first scale whose window is larger than maxSize: this octave's windows end at twice
                // the cascade's size, where the next octave's begin (a window that rounds to exactly twice is scanned in
                // both; without it, the astronaut at 133 px of a 774² photo is lost, docs/faces.md).
                Size? max = last ? null : new Size(2 * window, 2 * window);
                var found = classifier.DetectMultiScale(image, octave == 0 ? finestStep : step, 0, 0, null, max);
                var f = factor;
                hits.AddRange(found.Select(r => new Rect((int)Math.Round(r.X * f), (int)Math.Round(r.Y * f),
                    (int)Math.Round(r.Width * f), (int)Math.Round(r.Height * f))));
                if (last)
                    break;
                var half = new Mat();
                Cv2.Resize(image, half, new Size(width / 2, height / 2), interpolation: InterpolationFlags.Area);
                factor *= (double)width / (width / 2);
                (width, height) = (width / 2, height / 2);
                if (!ReferenceEquals(image, search))
                    image.Dispose();
                image = half;
            }
        }
        finally
        {
            if (!ReferenceEquals(image, search))
                image.Dispose();
        }
        return hits;
    }
}
