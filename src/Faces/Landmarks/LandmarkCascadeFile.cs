namespace Pipeline.Faces.Landmarks;

/// <summary>
/// Reads a dlib shape predictor file (dlib's <c>serialize(shape_predictor)</c>): version 1, the mean shape (a column
/// vector x0, y0, x1, y1, … in the unit square of the face box), the forests (per cascade level, trees of splits
/// (idx1, idx2, threshold) in breadth-first order and leaves of shape offsets), then per level the feature pixels as
/// an anchor landmark and an offset from it. Every index is checked against what it indexes.
/// </summary>
public static class LandmarkCascadeFile
{
    /// <summary>Where Debian's <c>libdlib-data</c> installs the model that the FFHQ, pSp and e4e alignment scripts load.</summary>
    public const string DebianPath = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";

    /// <summary>The package that installs <see cref="DebianPath"/>.</summary>
    public const string DebianPackage = "libdlib-data";

    public static LandmarkCascade Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException(
                path == DebianPath
                    ? $"the landmark model {path} is missing; Debian's {DebianPackage} package installs it (apt-get install {DebianPackage}), or pass --landmarks FILE"
                    : $"the landmark model {path} is missing; pass --landmarks FILE (Debian's {DebianPackage} package installs {DebianPath})",
                path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var reader = new DlibStreamReader(stream, path, stream.Length);
        var version = reader.ReadInteger("version");
        if (version != 1)
            throw reader.Broken($"version {version}; dlib writes version 1");
        var initial = reader.ReadColumnVector("initial shape");
        if (initial.Length == 0 || initial.Length % 2 != 0)
            throw reader.Broken($"an initial shape of {initial.Length} values");
        var forests = ReadForests(reader, initial.Length);
        var anchors = ReadAnchors(reader, initial.Length / 2);
        var deltas = ReadDeltas(reader);
        if (anchors.Length != forests.Length || deltas.Length != forests.Length)
            throw reader.Broken($"{forests.Length} forests but {anchors.Length} anchor lists and {deltas.Length} offset lists");
        if (reader.Remaining != 0)
            throw reader.Broken($"{reader.Remaining} bytes after the model");

        var levels = new LandmarkCascade.Level[forests.Length];
        for (var l = 0; l < levels.Length; l++)
        {
            var (trees, splits, idx1, idx2, threshold, leaves) = forests[l];
            if (anchors[l].Length != deltas[l].X.Length)
                throw reader.Broken($"level {l} has {anchors[l].Length} anchors but {deltas[l].X.Length} offsets");
            if (idx1.Concat(idx2).Any(i => i >= anchors[l].Length))
                throw reader.Broken($"level {l} compares a pixel it does not read");
            levels[l] = new LandmarkCascade.Level(anchors[l], deltas[l].X, deltas[l].Y, trees, splits, idx1, idx2, threshold, leaves);
        }
        return LandmarkCascade.Create(initial, levels);
    }

    private static (int Trees, int Splits, int[] Idx1, int[] Idx2, float[] Threshold, float[] Leaves)[] ReadForests(DlibStreamReader reader, int width)
    {
        var levels = reader.ReadCount("cascade levels", 1);
        var forests = new (int, int, int[], int[], float[], float[])[levels];
        var splits = -1;
        for (var l = 0; l < levels; l++)
        {
            var trees = reader.ReadCount($"level {l} trees", 2);
            int[] idx1 = [], idx2 = [];
            float[] threshold = [], leaves = [];
            for (var t = 0; t < trees; t++)
            {
                var count = reader.ReadCount($"level {l} tree {t} splits", 6);
                if (splits < 0)
                {
                    splits = count;
                    if (((splits + 1) & splits) != 0)
                        throw reader.Broken($"trees of {splits} splits are not complete binary trees");
                }
                else if (count != splits)
                    throw reader.Broken($"level {l} tree {t} has {count} splits, other trees {splits}");
                if (t == 0)
                {
                    idx1 = new int[trees * splits];
                    idx2 = new int[trees * splits];
                    threshold = new float[trees * splits];
                    if ((long)trees * (splits + 1) * width * 2 > reader.Remaining)
                        throw reader.Broken($"level {l}: {trees} trees of {splits + 1} leaves do not fit in the bytes left");
                    leaves = new float[trees * (splits + 1) * width];
                }
                for (var s = 0; s < splits; s++)
                {
                    idx1[t * splits + s] = Index(reader, $"level {l} tree {t} split {s}");
                    idx2[t * splits + s] = Index(reader, $"level {l} tree {t} split {s}");
                    threshold[t * splits + s] = reader.ReadFloat($"level {l} tree {t} split {s} threshold");
                }
                var leafCount = reader.ReadCount($"level {l} tree {t} leaves", 2);
                if (leafCount != splits + 1)
                    throw reader.Broken($"level {l} tree {t} has {leafCount} leaves for {splits} splits");
                for (var k = 0; k < leafCount; k++)
                {
                    var leaf = reader.ReadColumnVector($"level {l} tree {t} leaf {k}");
                    if (leaf.Length != width)
                        throw reader.Broken($"level {l} tree {t} leaf {k} has {leaf.Length} values, the shape {width}");
                    leaf.CopyTo(leaves, (t * leafCount + k) * width);
                }
            }
            forests[l] = (trees, Math.Max(splits, 0), idx1, idx2, threshold, leaves);
        }
        return forests;
    }

    private static int[][] ReadAnchors(DlibStreamReader reader, int landmarks)
    {
        var levels = reader.ReadCount("anchor lists", 1);
        var anchors = new int[levels][];
        for (var l = 0; l < levels; l++)
        {
            anchors[l] = new int[reader.ReadCount($"level {l} anchors", 2)];
            for (var i = 0; i < anchors[l].Length; i++)
            {
                anchors[l][i] = Index(reader, $"level {l} anchor {i}");
                if (anchors[l][i] >= landmarks)
                    throw reader.Broken($"level {l} anchor {i} is landmark {anchors[l][i]} of {landmarks}");
            }
        }
        return anchors;
    }

    private static (float[] X, float[] Y)[] ReadDeltas(DlibStreamReader reader)
    {
        var levels = reader.ReadCount("offset lists", 1);
        var deltas = new (float[], float[])[levels];
        for (var l = 0; l < levels; l++)
        {
            var count = reader.ReadCount($"level {l} offsets", 4);
            float[] x = new float[count], y = new float[count];
            for (var i = 0; i < count; i++)
            {
                x[i] = reader.ReadFloat($"level {l} offset {i}");
                y[i] = reader.ReadFloat($"level {l} offset {i}");
            }
            deltas[l] = (x, y);
        }
        return deltas;
    }

    private static int Index(DlibStreamReader reader, string what)
    {
        var value = reader.ReadInteger(what);
        return value is >= 0 and <= int.MaxValue ? (int)value : throw reader.Broken($"{what}: index {value}");
    }
}
