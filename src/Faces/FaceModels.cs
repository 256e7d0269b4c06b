using System.Collections.Concurrent;
using Pipeline.Faces.Detection;
using Pipeline.Faces.Landmarks;

namespace Pipeline.Faces;

/// <summary>
/// The loaded face models of a process: the landmark cascade (100 MB on disk, about 65 MB in memory, read once per path
/// and shared by every <see cref="FaceFinder"/>) and a detector per finder.
/// </summary>
public static class FaceModels
{
    private static readonly ConcurrentDictionary<string, Lazy<LandmarkCascade>> Cascades = new(StringComparer.Ordinal);

    public static LandmarkCascade Landmarks(string path)
    {
        var full = Path.GetFullPath(path);
        var lazy = Cascades.GetOrAdd(full, p => new Lazy<LandmarkCascade>(() => LandmarkCascadeFile.Read(p)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A missing or broken file is not remembered: the next call reads it again (it may have been installed).
            Cascades.TryRemove(new KeyValuePair<string, Lazy<LandmarkCascade>>(full, lazy));
            throw;
        }
    }

    /// <summary>A finder with the process's cascade and a detector of its own (dispose it to free the detector).</summary>
    public static FaceFinderHandle CreateFinder(FaceOptions options)
    {
        var cascade = Landmarks(options.Landmarks);
        var detector = new FaceDetector(options.Detector);
        return new FaceFinderHandle(new FaceFinder(detector, cascade), detector);
    }
}

/// <summary>A <see cref="FaceFinder"/> and the detector it owns.</summary>
public sealed class FaceFinderHandle(FaceFinder finder, FaceDetector detector) : IDisposable
{
    public FaceFinder Finder => finder;

    public void Dispose() => detector.Dispose();
}
