using System.CommandLine;
using Pipeline.Faces;
using Pipeline.Faces.Detection;
using Pipeline.Faces.Landmarks;

namespace Pipeline.Cli.Commands;

/// <summary>The options every command that aligns faces shares (<c>align</c>, <c>edit --align</c>, <c>submit --align</c>,
/// <c>eval dataset --align</c>), read into <see cref="FaceOptions"/>.</summary>
public sealed class FaceArguments
{
    public Option<string?> Landmarks { get; } = new("--landmarks")
    {
        Description = $"dlib's 68-landmark model (default {LandmarkCascadeFile.DebianPath}, from Debian's {LandmarkCascadeFile.DebianPackage}; its training data is licensed for research use only, docs/faces.md)",
    };

    public Option<string?> Detector { get; } = new("--face-detector")
    {
        Description = $"OpenCV cascade for face detection (default {FaceDetectorOptions.DebianCascade}, from Debian's {FaceDetectorOptions.DebianPackage})",
    };

    public Option<int> MinFace { get; } = new("--min-face") { Description = "smallest face box edited, in pixels", DefaultValueFactory = _ => new FaceDetectorOptions().MinFaceSize };

    public Option<int> MaxFaces { get; } = new("--max-faces") { Description = "most faces edited per photo (the largest)", DefaultValueFactory = _ => new FaceDetectorOptions().MaxFaces };

    public void AddTo(Command command)
    {
        command.Options.Add(Landmarks);
        command.Options.Add(Detector);
        command.Options.Add(MinFace);
        command.Options.Add(MaxFaces);
    }

    public FaceOptions Read(ParseResult parse)
    {
        if (parse.GetValue(MinFace) < 8) throw new ArgumentException("--min-face must be at least 8 pixels");
        if (parse.GetValue(MaxFaces) < 1) throw new ArgumentException("--max-faces must be at least 1");
        var defaults = new FaceDetectorOptions();
        return new FaceOptions
        {
            Landmarks = parse.GetValue(Landmarks) ?? LandmarkCascadeFile.DebianPath,
            Detector = defaults with
            {
                Cascade = parse.GetValue(Detector) ?? defaults.Cascade,
                MinFaceSize = parse.GetValue(MinFace),
                MaxFaces = parse.GetValue(MaxFaces),
            },
        };
    }
}
