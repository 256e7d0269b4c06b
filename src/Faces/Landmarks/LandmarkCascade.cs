using Pipeline.Editing.Imaging;

namespace Pipeline.Faces.Landmarks;

/// <summary>
/// dlib's shape predictor (Kazemi and Sullivan, "One Millisecond Face Alignment with an Ensemble of Regression Trees",
/// CVPR 2014) as <c>shape_predictor_68_face_landmarks.dat</c> stores it, run the way dlib runs it: the shape starts as the
/// mean shape in the unit square of the face box; each cascade level reads its pixels (each an offset from one landmark
/// of the mean shape, carried to the current shape by the similarity transform between the two, then into the box),
/// and each of its trees compares two of those intensities per split and adds its leaf's offsets to the shape.
/// </summary>
public sealed class LandmarkCascade
{
    private readonly float[] _initialShape;
    private readonly Level[] _levels;

    private LandmarkCascade(float[] initialShape, Level[] levels)
    {
        _initialShape = initialShape;
        _levels = levels;
    }

    /// <summary>One cascade level: its feature pixels and its forest, flattened (trees × splits, trees × leaves × 2P).</summary>
    internal sealed record Level(int[] Anchor, float[] DeltaX, float[] DeltaY, int Trees, int Splits, int[] Idx1, int[] Idx2, float[] Threshold,
        float[] Leaves);

    public int Landmarks => _initialShape.Length / 2;

    public int Levels => _levels.Length;

    public int TreesPerLevel => _levels.Length == 0 ? 0 : _levels[0].Trees;

    internal static LandmarkCascade Create(float[] initialShape, Level[] levels) => new(initialShape, levels);

    /// <summary>The landmarks of the face in <paramref name="box"/> of <paramref name="image"/>, rounded to pixels as dlib
    /// rounds them.</summary>
    public PixelPoint[] Predict(RgbImage image, FaceBox box)
    {
        var shape = (float[])_initialShape.Clone();
        var parts = Landmarks;
        var values = new float[_levels.Max(l => l.Anchor.Length)];
        foreach (var level in _levels)
        {
            var (a, b) = SimilarityTransform.ScaledRotation(_initialShape, shape);
            // dlib casts the transform to float and applies it in float (tform * delta + location).
            float m00 = (float)a, m01 = (float)-b, m10 = (float)b, m11 = (float)a;
            for (var i = 0; i < level.Anchor.Length; i++)
            {
                var anchor = level.Anchor[i];
                var u = m00 * level.DeltaX[i] + m01 * level.DeltaY[i] + shape[2 * anchor];
                var v = m10 * level.DeltaX[i] + m11 * level.DeltaY[i] + shape[2 * anchor + 1];
                values[i] = Intensity(image, box, u, v);
            }
            var width = 2 * parts;
            var leaves = level.Splits + 1;
            for (var t = 0; t < level.Trees; t++)
            {
                var node = 0;
                var splitBase = t * level.Splits;
                while (node < level.Splits)
                {
                    var s = splitBase + node;
                    node = values[level.Idx1[s]] - values[level.Idx2[s]] > level.Threshold[s] ? 2 * node + 1 : 2 * node + 2;
                }
                var leaf = level.Leaves.AsSpan((t * leaves + node - level.Splits) * width, width);
                for (var k = 0; k < width; k++)
                    shape[k] += leaf[k];
            }
        }
        var points = new PixelPoint[parts];
        for (var p = 0; p < parts; p++)
        {
            var (x, y) = ToImage(box, shape[2 * p], shape[2 * p + 1]);
            points[p] = new PixelPoint(RoundHalfUp(x), RoundHalfUp(y));
        }
        return points;
    }

    /// <summary>The unit square of the shape onto the box: (0,0) → top-left, (1,1) → bottom-right (dlib's
    /// unnormalizing_tform, whose width is right − left).</summary>
    private static (double X, double Y) ToImage(FaceBox box, float u, float v) =>
        (box.Left + (double)u * (box.Right - box.Left), box.Top + (double)v * (box.Bottom - box.Top));

    /// <summary>The grey level dlib reads for an RGB pixel, (r + g + b) / 3 in integers; 0 outside the image.</summary>
    private static float Intensity(RgbImage image, FaceBox box, float u, float v)
    {
        var (x, y) = ToImage(box, u, v);
        var px = RoundHalfUp(x);
        var py = RoundHalfUp(y);
        if (px < 0 || py < 0 || px >= image.Width || py >= image.Height)
            return 0;
        var i = 3 * (py * image.Width + px);
        var rgb = image.Rgb;
        return (rgb[i] + rgb[i + 1] + rgb[i + 2]) / 3;
    }

    private static int RoundHalfUp(double value) => (int)Math.Floor(value + 0.5);
}
