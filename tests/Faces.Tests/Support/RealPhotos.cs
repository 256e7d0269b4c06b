using Pipeline.Editing.Imaging;
using Pipeline.Hosting;

namespace Pipeline.Faces.Tests.Support;

/// <summary>The real photographs the face tests use (from Debian's packages) and the fixture tree made from them
/// (tests/fixtures/faces/README.md).</summary>
public static class RealPhotos
{
    public const string Astronaut = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png";
    public const string Messi = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg";
    public const string Baboon = "/usr/share/doc/opencv-doc/examples/data/baboon.jpg";

    public static string Fixtures => Path.Combine(RepositoryRoot.Find(), "tests", "fixtures", "faces");

    public static string PathOf(string file) => file switch
    {
        "astronaut.png" => Astronaut,
        "messi5.jpg" => Messi,
        "baboon.jpg" => Baboon,
        _ => throw new ArgumentException($"no real photo named {file}"),
    };

    private static readonly Dictionary<string, RgbImage> Decoded = new();

    /// <summary>A photo decoded once per test run.</summary>
    public static RgbImage Read(string file)
    {
        lock (Decoded)
        {
            if (!Decoded.TryGetValue(file, out var image))
                Decoded[file] = image = ImageReader.Read(PathOf(file));
            return image;
        }
    }

    /// <summary>A derived case of a photo, as the oracle made it.</summary>
    public static RgbImage Case(string file, string name) => DerivedPhotos.Make(Read(file), name);
}
