namespace Pipeline.Faces.Detection;

/// <summary>How faces are searched for (<see cref="FaceDetector"/>).</summary>
public sealed record FaceDetectorOptions
{
    /// <summary>Where Debian's <c>opencv-data</c> installs OpenCV's frontal face cascade (Lienhart's "alt2").</summary>
    public const string DebianCascade = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml";

    public const string DebianPackage = "opencv-data";

    /// <summary>The OpenCV cascade file (Haar or LBP).</summary>
    public string Cascade { get; init; } = DebianCascade;

    /// <summary>Photos are searched at this many pixels at most (downscaled by area averaging): the cascade's time grows
    /// with the pixels, and a face that small in such a photo is too small to edit anyway.</summary>
    public long SearchPixels { get; init; } = 1_000_000;

    /// <summary>Step between the cascade's window scales within the finest octave of the search pyramid (the search image
    /// itself, windows of one to two times the cascade's size): that octave costs more than all the others together.</summary>
    public double FinestScaleFactor { get; init; } = 1.2;

    /// <summary>Step between the cascade's window scales in the coarser octaves.</summary>
    public double ScaleFactor { get; init; } = 1.15;

    /// <summary>Overlapping hits a detection needs, over all octaves (OpenCV's minNeighbors: a face is a group of more
    /// than this many raw hits): fewer finds more and errs more.</summary>
    public int MinNeighbours { get; init; } = 3;

    /// <summary>The smallest face box (in source pixels) that is aligned and edited; smaller faces are reported.</summary>
    public int MinFaceSize { get; init; } = 40;

    /// <summary>At most this many faces per photo, the largest; more are reported, not edited (each face is an image
    /// of the models' size in every stage).</summary>
    public int MaxFaces { get; init; } = 8;
}
