using System.Text.Json;
using Pipeline.Cli.Commands;
using Pipeline.Cli.Engines;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Outputs;
using Pipeline.Faces.Alignment;
using Pipeline.Faces.Tests.Support;
using Pipeline.Hosting;
using Xunit.Abstractions;

namespace Pipeline.Faces.Tests;

/// <summary><c>pipeline edit --align</c> with the demo pack: faces aligned, edited through the pipeline, pasted back into
/// the photo; photos without a usable face, or too large to decode, fail alone.</summary>
public sealed class When_editing_photos_with_align(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("faces-edit-").FullName;

    private static string DemoPack => EditCommand.DefaultModels;

    [RealPhotosTheory]
    [InlineData("embedded")]
    [InlineData("in-process")]
    public void Should_paste_each_edited_face_into_a_photo_of_the_inputs_size_leaving_the_rest_byte_identical(string engine)
    {
        var input = Directory.CreateDirectory(Path.Combine(_dir, "in")).FullName;
        File.Copy(RealPhotos.Astronaut, Path.Combine(input, "astronaut.png"));
        ImageWriter.SavePng(RealPhotos.Case("astronaut.png", "canvas"), Path.Combine(input, "canvas.png"));
        File.Copy(RealPhotos.Baboon, Path.Combine(input, "baboon.jpg"));
        File.Copy(RealPhotos.Messi, Path.Combine(input, "messi5.jpg"));
        File.WriteAllBytes(Path.Combine(input, "huge.png"), PngHeader.Claiming(10_000, 10_000));
        var outDir = Path.Combine(_dir, "out");

        var code = EditCommand.Run(input, [AttributeEdit.Parse("smile=+1")], null, DemoPack, outDir, new MethodOptions(), SizeMode.Refuse,
            EngineTarget.Parse(engine, null, null), new FaceOptions());

        Assert.Equal(ExitCodes.PartialFailure, code);
        var summary = File.ReadAllLines(Path.Combine(outDir, "summary.csv")).Skip(1).ToDictionary(l => l.Split(',')[0]);
        Assert.Contains("no face found", summary["baboon"]);
        Assert.Contains("the minimum is 40 px", summary["messi5"]);
        Assert.Contains("over the 67.1 MP limit", summary["huge"]);
        foreach (var name in new[] { "astronaut", "canvas" })
        {
            Assert.EndsWith(",ok,\"\"", summary[name]);
            CheckPhoto(Path.Combine(input, name + ".png"), Path.Combine(outDir, name));
        }
    }

    [Fact]
    public void Should_refuse_a_missing_landmark_model_in_one_line_naming_the_package_before_loading_the_edit_models()
    {
        var input = Directory.CreateDirectory(Path.Combine(_dir, "in")).FullName;
        ImageWriter.SavePng(new RgbImage(8, 8, new byte[8 * 8 * 3]), Path.Combine(input, "a.png"));
        var missing = Path.Combine(_dir, "no_such_model.dat");
        var error = new StringWriter();
        var saved = Console.Error;
        Console.SetError(error);
        int code;
        try
        {
            code = EditCommand.Create().Parse(["--input", input, "--edit", "smile=1", "--models", DemoPack, "--out", Path.Combine(_dir, "out"),
                "--align", "--landmarks", missing]).Invoke();
        }
        finally
        {
            Console.SetError(saved);
        }

        Assert.Equal(ExitCodes.BadInput, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains(missing));
        Assert.Contains("libdlib-data", line);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")), "nothing is written before the models are there");
    }

    private void CheckPhoto(string inputPath, string dir)
    {
        var photo = ImageReader.Read(inputPath);
        var final = ImageReader.Read(Path.Combine(dir, "final.png"));
        Assert.Equal((photo.Width, photo.Height), (final.Width, final.Height));
        var record = ItemProvenance.Read(Path.Combine(dir, ItemOutputFolder.ProvenanceFile));
        var face = Assert.Single(record.Faces!.Faces);
        Assert.Equal(68, face.Landmarks.Length);
        Assert.Equal(4, face.Box.Length);
        foreach (var file in new[] { "aligned.png", "mask.png", "coarse.png", "final.png", "item.json" })
            Assert.True(File.Exists(Path.Combine(dir, "face0", file)), $"face0/{file} missing");
        var aligned = ImageReader.Read(Path.Combine(dir, "face0", "aligned.png"));
        Assert.Equal((64, 64), (aligned.Width, aligned.Height));

        var c = face.Quad.Select(q => new Point2(q[0], q[1])).ToArray();
        var quad = FfhqAligner.SampledQuad(new FaceQuad(c[0], c[1], c[2], c[3]), photo.Width, photo.Height, 64);
        int outside = 0, changedOutside = 0, changedInside = 0;
        for (var y = 0; y < photo.Height; y++)
            for (var x = 0; x < photo.Width; x++)
            {
                var (u, v) = quad.FromSource(x, y, 64);
                var o = 3 * (y * photo.Width + x);
                var same = photo.Rgb[o] == final.Rgb[o] && photo.Rgb[o + 1] == final.Rgb[o + 1] && photo.Rgb[o + 2] == final.Rgb[o + 2];
                // Quad corners are kept to 3 decimals: a hair's margin keeps the edge pixels out of both counts.
                if (u < -0.01 || v < -0.01 || u > 64.01 || v > 64.01)
                {
                    outside++;
                    if (!same) changedOutside++;
                }
                else if (!same) changedInside++;
            }
        output.WriteLine($"{Path.GetFileName(dir)}: {outside} pixels outside the face, {changedOutside} changed; {changedInside} changed inside");
        Assert.Equal(0, changedOutside);
        Assert.True(changedInside > 1000, $"the edited face changed only {changedInside} pixels of the photo");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
