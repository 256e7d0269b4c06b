using Pipeline.Faces.Detection;
using Pipeline.Faces.Landmarks;

namespace Pipeline.Faces.Tests.Support;

/// <summary>A test on the real photos and face models of Debian's packages (libdlib-data, opencv-data, python3-skimage,
/// opencv-doc). Skipped on a developer machine that lacks one, with the command that installs them; in CI
/// (<c>CI=true</c>) it runs and fails, because a missing package there is a broken CI setup.</summary>
public sealed class RealPhotosFactAttribute : FactAttribute
{
    public const string Install = "apt-get install -y libdlib-data opencv-data python3-skimage opencv-doc (bash .ci/run does)";

    public static readonly string[] Needed =
    [
        LandmarkCascadeFile.DebianPath, FaceDetectorOptions.DebianCascade, RealPhotos.Astronaut, RealPhotos.Messi, RealPhotos.Baboon,
    ];

    public RealPhotosFactAttribute() => Skip = SkipReason();

    /// <summary>Why a real-photo test cannot run here, or null.</summary>
    public static string? SkipReason()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        var missing = Needed.Where(p => !File.Exists(p)).ToList();
        return missing.Count > 0 && !ci ? $"needs {string.Join(", ", missing)}: {Install}" : null;
    }
}

/// <summary>A <see cref="RealPhotosFactAttribute"/> with data rows.</summary>
public sealed class RealPhotosTheoryAttribute : TheoryAttribute
{
    public RealPhotosTheoryAttribute() => Skip = RealPhotosFactAttribute.SkipReason();
}
