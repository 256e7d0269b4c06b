using Pipeline.Editing.Outputs;
using Pipeline.Faces.Alignment;
using Pipeline.Faces.Landmarks;

namespace Pipeline.Faces;

/// <summary>One face of a photo: the detector's dlib-like box, dlib's 68 landmarks and the FFHQ quad, in source pixels.</summary>
public sealed record FoundFace(FaceBox Box, IReadOnlyList<PixelPoint> Landmarks, FaceQuad Quad)
{
    /// <summary>The JSON shape <c>pipeline align --json</c> and item.json use: box [l,t,r,b], landmarks [[x,y]…], quad
    /// [[x,y]…4] (top-left, bottom-left, bottom-right, top-right).</summary>
    public FaceRecord ToRecord() => new(Box.ToArray(), Landmarks.Select(p => new[] { p.X, p.Y }).ToArray(),
        Quad.Corners.Select(c => new[] { Math.Round(c.X, 3), Math.Round(c.Y, 3) }).ToArray());

    public static FoundFace FromRecord(FaceRecord record)
    {
        if (record.Box.Length != 4 || record.Quad.Length != 4 || record.Quad.Any(c => c.Length != 2) || record.Landmarks.Any(p => p.Length != 2))
            throw new InvalidDataException("a face record needs a box of 4 numbers, landmarks as [x,y] pairs and a quad of 4 corners");
        var c = record.Quad.Select(q => new Point2(q[0], q[1])).ToArray();
        return new FoundFace(new FaceBox(record.Box[0], record.Box[1], record.Box[2], record.Box[3]),
            record.Landmarks.Select(p => new PixelPoint(p[0], p[1])).ToArray(), new FaceQuad(c[0], c[1], c[2], c[3]));
    }
}
