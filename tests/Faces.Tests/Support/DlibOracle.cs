using System.Text.Json;
using Pipeline.Faces.Landmarks;

namespace Pipeline.Faces.Tests.Support;

/// <summary>One line of tests/fixtures/faces/dlib.jsonl: what dlib found in one case of one photo.</summary>
public sealed record DlibCase(string File, string Case, int Width, int Height, string Fnv1a64, IReadOnlyList<DlibFace> Faces)
{
    public string Stem => Path.GetFileNameWithoutExtension(File);

    public override string ToString() => $"{File} {Case}";
}

public sealed record DlibFace(FaceBox Box, PixelPoint[] Landmarks)
{
    /// <summary>Distance between the eye centres (landmarks 36–41 and 42–47), the unit of landmark errors.</summary>
    public double InterOcular
    {
        get
        {
            var (lx, ly) = (Landmarks[36..42].Average(p => p.X), Landmarks[36..42].Average(p => p.Y));
            var (rx, ry) = (Landmarks[42..48].Average(p => p.X), Landmarks[42..48].Average(p => p.Y));
            return double.Hypot(rx - lx, ry - ly);
        }
    }

    /// <summary>Per landmark, the distance to <paramref name="other"/>'s as a fraction of the inter-ocular distance.</summary>
    public double[] Errors(IReadOnlyList<PixelPoint> other) =>
        Landmarks.Select((p, i) => double.Hypot(p.X - other[i].X, p.Y - other[i].Y) / InterOcular).ToArray();
}

public static class DlibOracle
{
    public static IReadOnlyList<DlibCase> Cases { get; } = Load();

    private static List<DlibCase> Load() => File.ReadLines(Path.Combine(RealPhotos.Fixtures, "dlib.jsonl")).Select(line =>
    {
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        var faces = r.GetProperty("faces").EnumerateArray().Select(f =>
        {
            var b = f.GetProperty("box").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var lm = f.GetProperty("landmarks").EnumerateArray().Select(p => new PixelPoint(p[0].GetInt32(), p[1].GetInt32())).ToArray();
            return new DlibFace(new FaceBox(b[0], b[1], b[2], b[3]), lm);
        }).ToList();
        return new DlibCase(r.GetProperty("file").GetString()!, r.GetProperty("case").GetString()!, r.GetProperty("width").GetInt32(),
            r.GetProperty("height").GetInt32(), r.GetProperty("fnv1a64").GetString()!, faces);
    }).ToList();
}
