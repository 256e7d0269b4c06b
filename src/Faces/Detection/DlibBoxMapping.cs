using Pipeline.Faces.Landmarks;

namespace Pipeline.Faces.Detection;

/// <summary>
/// OpenCV's cascade box as the box dlib's HOG detector would give the same face, the kind of box the landmark cascade was
/// trained with: the same centre horizontally, lower by <see cref="CentreDown"/> of the width, and
/// <see cref="Scale"/> times as wide. Chosen on every face dlib finds in the test photos and their derived cases
/// (tests/fixtures/faces): over a grid of 0–0.16 × 0.88–1.08, the pair with the smallest mean landmark error against
/// dlib's whose boxes all overlap dlib's by IoU ≥ 0.75 (mean 1.34 % of the inter-ocular distance, worst face 2.61 %,
/// smallest IoU 0.76; OpenCV's raw boxes: IoU 0.67–0.92). Few faces went into it: two people, eight cases.
/// </summary>
public static class DlibBoxMapping
{
    public const double CentreDown = 0.08;

    public const double Scale = 0.97;

    /// <param name="x">left edge of OpenCV's box (its pixels run from x to x + width − 1)</param>
    public static FaceBox FromCascade(double x, double y, double width)
    {
        var cx = x + (width - 1) / 2;
        var cy = y + (width - 1) / 2 + CentreDown * width;
        return FaceBox.Square(cx, cy, Scale * width);
    }
}
