using Pipeline.Editing.Imaging;
using Pipeline.Faces.Alignment;
using Pipeline.Faces.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Faces.Tests;

/// <summary>The C# alignment against the FFHQ recipe run by Pillow and scipy on dlib's landmarks
/// (tests/fixtures/faces/aligned): the shrink, crop and padding paths.</summary>
public sealed class When_aligning_as_the_ffhq_recipe(ITestOutputHelper output)
{
    [RealPhotosFact]
    public void Should_cut_the_recipes_crop_from_the_same_landmarks_within_one_grey_level()
    {
        var files = Directory.GetFiles(Path.Combine(RealPhotos.Fixtures, "aligned"), "*.png");
        Assert.True(files.Length >= 14, "the aligned fixtures are there");
        foreach (var file in files)
        {
            var parts = Path.GetFileNameWithoutExtension(file).Split('_');               // astronaut_<case>_face0_<size>
            var c = DlibOracle.Cases.Single(x => x.Stem == parts[0] && x.Case == parts[1]);
            var size = int.Parse(parts[3]);
            var aligned = FfhqAligner.Align(RealPhotos.Case(c.File, c.Case), FaceQuad.From(c.Faces[0].Landmarks), size).Image;

            var (max, differing) = Compare(ImageReader.Read(file), aligned);
            output.WriteLine($"{c} at {size}: largest difference {max}, {differing} of {aligned.Rgb.Length} values differ");
            Assert.True(max <= 1, $"{c} at {size}: the crop differs from the recipe's by up to {max} grey levels");
        }
    }

    [RealPhotosFact]
    public void Should_cut_a_crop_close_to_the_recipes_from_the_landmarks_it_finds_itself()
    {
        using var handle = FaceModels.CreateFinder(new FaceOptions());
        var photo = RealPhotos.Read("astronaut.png");
        var aligned = PhotoAlignment.Align(photo, handle.Finder, 256, "astronaut.png").Aligned[0].Image;
        var expected = ImageReader.Read(Path.Combine(RealPhotos.Fixtures, "aligned", "astronaut_original_face0_256.png"));

        var mean = expected.Rgb.Zip(aligned.Rgb, (a, b) => Math.Abs(a - b)).Average();
        output.WriteLine($"mean difference {mean:0.00} grey levels");
        Assert.True(mean <= 8, $"the crop from the detected landmarks differs from dlib's by {mean:0.0} grey levels on average");
    }

    private static (int Max, int Differing) Compare(RgbImage a, RgbImage b)
    {
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        int max = 0, differing = 0;
        for (var i = 0; i < a.Rgb.Length; i++)
        {
            var d = Math.Abs(a.Rgb[i] - b.Rgb[i]);
            max = Math.Max(max, d);
            if (d > 0) differing++;
        }
        return (max, differing);
    }
}
