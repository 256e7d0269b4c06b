using System.Text.Json;
using Pipeline.Cli.Commands;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Training;
using Xunit;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Method;

/// <summary><c>pipeline directions fit</c> on the tiny pack: labelled images in, a direction the pack then edits with.</summary>
public class When_fitting_a_direction_from_the_command_line : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("directions-fit-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Pack => Path.Combine(_root, "pack");
    string Images => Path.Combine(_root, "images");
    string Labels => Path.Combine(_root, "labels.csv");

    /// <summary>Smooth random images, the ones labelled 1 brightened: an attribute a linear boundary can find.</summary>
    void Write(int perClass)
    {
        Directory.CreateDirectory(Images);
        var rows = new List<string> { "file,bright" };
        for (int i = 0; i < 2 * perClass; i++)
        {
            bool on = i % 2 == 0;
            using var x = TinyModelPack.Images(1, seed: 100 + i);
            using var shifted = (x * 0.5 + (on ? 0.45 : -0.45)).clamp(-1, 1);
            ImageWriter.SavePng(RgbImage.FromTensor(shifted), Path.Combine(Images, $"{i:000}.png"));
            rows.Add($"{i:000}.png,{(on ? 1 : 0)}");
        }
        File.WriteAllLines(Labels, rows);
    }

    DirectionsFitCommand.Request Request() => new(Pack, Images, Labels, "bright", Path.Combine(Pack, PackDirections.Folder),
        LatentSpace.WPlus, BoundaryVector.Normal, Seed: 3, Holdout: 0.25, Batch: 8);

    [Fact]
    public void Should_write_a_direction_the_pack_then_edits_with_and_report_its_held_out_accuracy()
    {
        TinyModelPack.Create(Pack);
        Write(perClass: 16);

        Assert.Equal(ExitCodes.Ok, DirectionsFitCommand.Run(Request()));

        using var fit = JsonDocument.Parse(File.ReadAllText(Path.Combine(Pack, PackDirections.Folder, "bright.fit.json")));
        var r = fit.RootElement;
        Assert.Equal(8, r.GetProperty("heldout_count").GetInt32());
        Assert.Equal(24, r.GetProperty("train_count").GetInt32());
        Assert.True(r.GetProperty("heldout_accuracy").GetDouble() >= 0.75, $"held-out accuracy {r.GetProperty("heldout_accuracy")}");
        using var models = EditModels.Load(Pack);
        var bright = models.Direction("bright");
        Assert.Equal(r.GetProperty("unit_strength").GetDouble(), bright.UnitStrength, 6);
        Assert.True(bright.UnitStrength > 0);
        Assert.True(bright.ClassAssumed);
        Assert.Equal(new long[] { 8, 64 }, bright.Direction.Vector.shape);
    }

    [Fact]
    public void Should_refuse_too_few_labels_with_the_counts_and_missing_images_by_line_before_inverting()
    {
        TinyModelPack.Create(Pack);
        Write(perClass: 6);
        var few = Assert.Throws<ArgumentException>(() => DirectionsFitCommand.Run(Request()));
        Assert.Contains("6 image(s) labelled 1 and 6 labelled 0", few.Message);

        File.AppendAllText(Labels, "gone.png,1\n");
        var missing = Assert.Throws<FileNotFoundException>(() => DirectionsFitCommand.Run(Request()));
        Assert.Contains("line 14 'gone.png'", missing.Message);
        Assert.False(File.Exists(Path.Combine(Pack, PackDirections.Folder, "bright.npy")));
    }
}
