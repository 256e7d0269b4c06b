using Pipeline.Editing.Imaging;
using Pipeline.Faces.Alignment;
using Pipeline.Faces.Detection;
using Pipeline.Faces.Landmarks;

namespace Pipeline.Faces;

/// <summary>The faces of one photo, largest first, and what was left out (too small, over the limit).</summary>
public sealed record FaceSearch(IReadOnlyList<FoundFace> Faces, IReadOnlyList<string> Notes);

/// <summary>
/// Detection, then dlib's landmarks in each box, then the FFHQ quad. A photo without a face, or whose faces are all
/// smaller than <see cref="FaceDetectorOptions.MinFaceSize"/>, is an <see cref="ImageDecodeException"/> naming it (the
/// per-item error every engine reports); faces beyond <see cref="FaceDetectorOptions.MaxFaces"/> and small faces beside
/// usable ones become notes.
/// </summary>
public sealed class FaceFinder(FaceDetector detector, LandmarkCascade landmarks)
{
    public FaceDetectorOptions Options => detector.Options;

    public FaceSearch Find(RgbImage photo, string item)
    {
        var boxes = detector.Detect(photo);
        if (boxes.Count == 0)
            throw new ImageDecodeException(item, "no face found");
        var minimum = detector.Options.MinFaceSize;
        var usable = boxes.Where(b => b.Width >= minimum).ToList();
        var small = boxes.Where(b => b.Width < minimum).ToList();
        if (usable.Count == 0)
            throw new ImageDecodeException(item,
                $"the face found is too small: {string.Join(", ", small.Select(b => $"{b.Width} px"))} wide, the minimum is {minimum} px");
        var notes = new List<string>();
        if (small.Count > 0)
            notes.Add($"{small.Count} face(s) under the minimum of {minimum} px left out: {string.Join(", ", small.Select(b => $"{b.Width} px at ({b.Left}, {b.Top})"))}");
        var max = detector.Options.MaxFaces;
        if (usable.Count > max)
        {
            notes.Add($"{usable.Count} faces found; the {max} largest are edited, the rest left out");
            usable = usable.Take(max).ToList();
        }
        var faces = usable.Select(box =>
        {
            var points = landmarks.Predict(photo, box);
            return new FoundFace(box, points, FaceQuad.From(points));
        }).ToList();
        return new FaceSearch(faces, notes);
    }
}
