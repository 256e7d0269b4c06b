using Pipeline.Faces.Landmarks;
using Pipeline.Faces.Tests.Support;

namespace Pipeline.Faces.Tests;

/// <summary>dlib's serialised shape predictor read in C#: the real model, and files that must be refused.</summary>
public sealed class When_reading_dlibs_landmark_model : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("faces-model-").FullName;

    [RealPhotosFact]
    public void Should_read_the_68_landmark_cascade_of_libdlib_data()
    {
        var cascade = FaceModels.Landmarks(LandmarkCascadeFile.DebianPath);

        Assert.Equal(68, cascade.Landmarks);
        Assert.Equal(15, cascade.Levels);
        Assert.Equal(500, cascade.TreesPerLevel);
    }

    [RealPhotosFact]
    public void Should_refuse_a_truncated_model_naming_the_file()
    {
        var path = Path.Combine(_dir, "cut.dat");
        using (var source = File.OpenRead(LandmarkCascadeFile.DebianPath))
        using (var target = File.Create(path))
        {
            var buffer = new byte[1 << 20];
            source.ReadExactly(buffer);
            target.Write(buffer);
        }

        var e = Assert.Throws<InvalidDataException>(() => LandmarkCascadeFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("is not a dlib shape predictor", e.Message);
    }

    [Fact]
    public void Should_refuse_a_model_that_claims_more_values_than_it_holds_before_allocating_them()
    {
        // version 1, then an initial shape of −2^40 rows × −1 column: four terabytes of floats in a 12-byte file.
        var path = Path.Combine(_dir, "huge.dat");
        File.WriteAllBytes(path, [0x01, 0x01, 0x86, 0, 0, 0, 0, 0, 0x01, 0x81, 0x01]);

        var before = GC.GetTotalAllocatedBytes();
        var e = Assert.Throws<InvalidDataException>(() => LandmarkCascadeFile.Read(path));

        Assert.Contains("do not fit", e.Message);
        Assert.True(GC.GetTotalAllocatedBytes() - before < 10_000_000, "nothing the size of the claim was allocated");
    }

    [Fact]
    public void Should_refuse_a_file_of_another_format_and_a_missing_one_saying_what_installs_it()
    {
        var text = Path.Combine(_dir, "notes.dat");
        File.WriteAllText(text, "not a model");
        var broken = Assert.Throws<InvalidDataException>(() => LandmarkCascadeFile.Read(text));
        Assert.Contains("not a dlib shape predictor", broken.Message);

        var missing = Assert.Throws<FileNotFoundException>(() => LandmarkCascadeFile.Read(Path.Combine(_dir, "absent.dat")));
        Assert.Contains("--landmarks", missing.Message);
        Assert.Contains(LandmarkCascadeFile.DebianPackage, missing.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
