using Pipeline.Faces.Landmarks;

namespace Pipeline.Faces.Alignment;

/// <summary>A point in source pixels, pixel centres at integer coordinates.</summary>
public readonly record struct Point2(double X, double Y);

/// <summary>
/// The oriented square the FFHQ recipe cuts a face out of (Karras et al., CVPR 2019, the FFHQ dataset's alignment step),
/// from dlib's 68 landmarks: eyes (means of 36–41 and 42–47) and mouth corners (48, 54) give the centre
/// c = eye_avg + 0.1·eye_to_mouth and the half-axes x (along the eyes, tilted by the eye-to-mouth direction, of length
/// max(2.0·|eye_to_eye|, 1.8·|eye_to_mouth|)) and y (x turned by 90°). Corners in the recipe's order c−x−y, c−x+y,
/// c+x+y, c+x−y: top-left, bottom-left, bottom-right, top-right of the face.
/// </summary>
public sealed record FaceQuad(Point2 TopLeft, Point2 BottomLeft, Point2 BottomRight, Point2 TopRight)
{
    /// <summary>The side of the square, 2·|x|.</summary>
    public double Size => 2 * Math.Sqrt(XAxis.X * XAxis.X + XAxis.Y * XAxis.Y);

    /// <summary>Half of the side, along the eyes.</summary>
    public Point2 XAxis => new((TopRight.X - TopLeft.X) / 2, (TopRight.Y - TopLeft.Y) / 2);

    public Point2[] Corners => [TopLeft, BottomLeft, BottomRight, TopRight];

    public static FaceQuad From(IReadOnlyList<PixelPoint> landmarks)
    {
        if (landmarks.Count != 68)
            throw new ArgumentException($"the FFHQ quad needs dlib's 68 landmarks, not {landmarks.Count}");
        var eyeLeft = Mean(landmarks, 36, 42);
        var eyeRight = Mean(landmarks, 42, 48);
        var eyeAvg = new Point2((eyeLeft.X + eyeRight.X) * 0.5, (eyeLeft.Y + eyeRight.Y) * 0.5);
        var eyeToEye = new Point2(eyeRight.X - eyeLeft.X, eyeRight.Y - eyeLeft.Y);
        var mouthAvg = new Point2((landmarks[48].X + landmarks[54].X) * 0.5, (landmarks[48].Y + landmarks[54].Y) * 0.5);
        var eyeToMouth = new Point2(mouthAvg.X - eyeAvg.X, mouthAvg.Y - eyeAvg.Y);
        // x = eye_to_eye − flipud(eye_to_mouth)·[−1, 1], normalised, then scaled.
        double xx = eyeToEye.X + eyeToMouth.Y, xy = eyeToEye.Y - eyeToMouth.X;
        var length = Hypot(xx, xy);
        xx /= length;
        xy /= length;
        var scale = Math.Max(Hypot(eyeToEye.X, eyeToEye.Y) * 2.0, Hypot(eyeToMouth.X, eyeToMouth.Y) * 1.8);
        xx *= scale;
        xy *= scale;
        double yx = -xy, yy = xx;                                   // y = flipud(x)·[−1, 1]
        double cx = eyeAvg.X + eyeToMouth.X * 0.1, cy = eyeAvg.Y + eyeToMouth.Y * 0.1;
        return new FaceQuad(new Point2(cx - xx - yx, cy - xy - yy), new Point2(cx - xx + yx, cy - xy + yy),
            new Point2(cx + xx + yx, cy + xy + yy), new Point2(cx + xx - yx, cy + xy - yy));
    }

    /// <summary>Where output pixel (<paramref name="u"/>, <paramref name="v"/>) of a <paramref name="size"/>² aligned face
    /// samples the source (output pixel centres at half-integers, as the quad transform samples them).</summary>
    public Point2 ToSource(double u, double v, int size) => new(
        TopLeft.X + u / size * (TopRight.X - TopLeft.X) + v / size * (BottomLeft.X - TopLeft.X),
        TopLeft.Y + u / size * (TopRight.Y - TopLeft.Y) + v / size * (BottomLeft.Y - TopLeft.Y));

    /// <summary>The inverse of <see cref="ToSource"/>: where source point (<paramref name="x"/>, <paramref name="y"/>)
    /// lies in a <paramref name="size"/>² aligned face (pixel edges at integers).</summary>
    public (double U, double V) FromSource(double x, double y, int size)
    {
        double ax = (TopRight.X - TopLeft.X) / size, ay = (TopRight.Y - TopLeft.Y) / size;
        double bx = (BottomLeft.X - TopLeft.X) / size, by = (BottomLeft.Y - TopLeft.Y) / size;
        var det = ax * by - ay * bx;
        double dx = x - TopLeft.X, dy = y - TopLeft.Y;
        return ((dx * by - dy * bx) / det, (ax * dy - ay * dx) / det);
    }

    public FaceQuad Map(Func<Point2, Point2> f) => new(f(TopLeft), f(BottomLeft), f(BottomRight), f(TopRight));

    public double[][] ToArray() => Corners.Select(c => new[] { c.X, c.Y }).ToArray();

    private static Point2 Mean(IReadOnlyList<PixelPoint> points, int from, int to)
    {
        double x = 0, y = 0;
        for (var i = from; i < to; i++)
        {
            x += points[i].X;
            y += points[i].Y;
        }
        return new Point2(x / (to - from), y / (to - from));
    }

    private static double Hypot(double x, double y) => double.Hypot(x, y);
}
