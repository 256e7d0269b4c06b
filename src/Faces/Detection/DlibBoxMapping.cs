using Pipeline.Faces.Landmarks;

namespace Pipeline.Faces.Detection;

/// <summary>
/// OpenCV's cascade box as the box dlib's HOG detector would give the same face, the kind of box the landmark cascade was
/// trained with: the same centre horizontally, lower by <see cref="CentreDown"/> of the width, and
/// <see cref="Scale"/> times as wide. Fitted for the default cascade (alt2) as <see cref="FaceDetector"/> searches with
/// it, on every face dlib finds in the test photos and their derived cases (tests/fixtures/faces): over a grid of
/// 0–0.20 × 0.80–1.10 in steps of 0.01, the pair with the smallest mean landmark error against dlib's whose boxes all
/// overlap dlib's by IoU ≥ 0.75 (mean 1.32 % of the inter-ocular distance, worst face 2.55 %, smallest IoU 0.76;
/// without the IoU bound the best pair, 0.15 × 0.88, is 1.29 % at IoU 0.71). Another cascade's boxes sit elsewhere on
/// the face (the LBP cascades' are smaller) and would need their own fit. Few faces went into it: two people, eight
/// cases.
/// </summary>
public static class DlibBoxMapping
{
    public const double CentreDown = 0.11;

    public const double Scale = 0.94;

    /// <param name="x">left edge of OpenCV's box (its pixels run from x to x + width − 1)</param>
    public static FaceBox FromCascade(double x, double y, double width)
    {
        var cx = x + (width - 1) / 2;
        var cy = y + (width - 1) / 2 + CentreDown * width;
        return FaceBox.Square(cx, cy, Scale * width);
    }
}
