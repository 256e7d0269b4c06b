using Pipeline.Faces.Detection;
using Pipeline.Faces.Landmarks;

namespace Pipeline.Faces;

/// <summary>Where the face models are and how faces are searched for; the same in every host that aligns.</summary>
public sealed record FaceOptions
{
    /// <summary>dlib's 68-landmark model (<c>--landmarks</c>). Its training data, the iBUG 300-W set, is licensed for
    /// research use only: see docs/faces.md before using it commercially.</summary>
    public string Landmarks { get; init; } = LandmarkCascadeFile.DebianPath;

    public FaceDetectorOptions Detector { get; init; } = new();
}
