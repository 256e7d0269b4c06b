using Pipeline.Cli.Commands;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Xunit;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Method;

/// <summary>Files dropped into a pack's <c>directions/</c> folder: W and W+ <c>.npy</c>, InterFaceGAN's
/// <c>boundary_*.npy</c>, and a JSON/CSV list, on the tiny pack (8 W+ rows of 64).</summary>
public class When_a_pack_holds_the_directions_a_person_has : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("user-directions-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Pack => Path.Combine(_root, "pack");
    string Folder => Path.Combine(Pack, PackDirections.Folder);
    const int Rows = 8, Dim = 64;

    void Save(string file, Tensor t) => NpyFile.Write(Path.Combine(Folder, file), t.to_type(ScalarType.Float64));

    [Fact]
    public void Should_load_a_W_boundary_by_its_name_and_move_every_row_by_the_unit_strength()
    {
        TinyModelPack.Create(Pack);
        manual_seed(5);
        using var w = randn(1, Dim);
        Save("boundary_age.npy", w * 7);                                    // not unit: the loader normalises it

        using var models = EditModels.Load(Pack);
        var age = models.Direction("age");
        Assert.True(age.ClassAssumed);
        Assert.Equal(DirectionMaskKind.Agnostic, age.Mask.Kind);         // no class named: not another edit's Diff-CAM
        Assert.Equal(PackDirections.AssumedClass, age.ClassIndex);
        Assert.Equal(3, age.UnitStrength);                                  // the median of the pack's own (3 and 3)
        Assert.False(models.Direction("smile").ClassAssumed);
        Assert.Equal(new[] { "eyeglasses", "smile" }, models.ClassedDirectionNames);   // DA training and ghost sets leave it out

        // End to end: inversion, edit along the W direction, every output written.
        var input = Path.Combine(_root, "in");
        Directory.CreateDirectory(input);
        using (var img = TinyModelPack.Images(1, seed: 8))
            ImageWriter.SavePng(RgbImage.FromTensor(img), Path.Combine(input, "a.png"));
        int code = EditCommand.Run(input, new[] { new AttributeEdit("age", 1) }, null, Pack, Path.Combine(_root, "out"),
            new MethodOptions { BatchSize = 1 }, SizeMode.Refuse);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.True(File.Exists(Path.Combine(_root, "out", "a", "final.png")));
        Assert.Contains("\"age\"", File.ReadAllText(Path.Combine(_root, "out", "a", "item.json")));

        // The edit adds unit·w/‖w‖ to each of the generator's rows.
        var stage = new InvertStage(models, new MethodOptions());
        using var latent = randn(2, Rows, Dim);
        var (edited, image) = stage.Edit(latent, age, 1);
        using var _e = edited; using var _i = image;
        using var expected = latent + 3 * (w / w.norm()).unsqueeze(0);
        Assert.True(edited.allclose(expected, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Should_take_the_list_rows_with_their_unit_strength_and_class_and_refuse_a_bad_row_by_its_place()
    {
        TinyModelPack.Create(Pack);
        manual_seed(6);
        using (var wplus = randn(Rows, Dim)) Save("curly.npy", wplus);
        using (var w = randn(1, Dim)) Save("tan.npy", w);
        File.WriteAllText(Path.Combine(Folder, DirectionList.CsvFile), "name,file,unit_strength,class\ncurly_hair,curly.npy,1.5,eyeglasses\n");
        File.WriteAllText(Path.Combine(Folder, DirectionList.JsonFile), "[{\"name\": \"tan\", \"file\": \"tan.npy\", \"unit_strength\": 0.5, \"class\": 1}]");

        var m = PackDirections.ManifestOf(Pack);
        var curly = m.Directions.Single(d => d.Name == "curly_hair");
        Assert.Equal((1.5, 1, false), (curly.UnitStrength, curly.ClassIndex, curly.ClassAssumed));
        Assert.Equal("eyeglasses", curly.Mask);                               // borrowed: DA training leaves it out
        var tan = m.Directions.Single(d => d.Name == "tan");
        Assert.Equal((0.5, 1, false), (tan.UnitStrength, tan.ClassIndex, tan.ClassAssumed));
        Assert.DoesNotContain(m.Directions, d => d.Name == "curly");           // the listed file is not also a loose one

        File.WriteAllText(Path.Combine(Folder, DirectionList.CsvFile), "curly_hair,curly.npy,1.5,frizz\n");
        var e = Assert.Throws<InvalidDataException>(() => PackDirections.ManifestOf(Pack));
        Assert.Contains($"{DirectionList.CsvFile}:1", e.Message);
        Assert.Contains("class 'frizz'", e.Message);

        File.WriteAllText(Path.Combine(Folder, DirectionList.CsvFile), "smile,curly.npy\n");
        var twice = Assert.Throws<InvalidDataException>(() => EditModels.Load(Pack));
        Assert.Contains("'smile' is defined twice", twice.Message);

        File.WriteAllText(Path.Combine(Folder, DirectionList.CsvFile), "curly_hair,curly.npy,-2\n");
        var strength = Assert.Throws<InvalidDataException>(() => PackDirections.ManifestOf(Pack));
        Assert.Contains("unit_strength must be a positive number", strength.Message);
    }

    [Fact]
    public void Should_list_shape_norm_rows_moved_unit_strength_and_the_mask_each_direction_gets()
    {
        TinyModelPack.Create(Pack);
        using (var w = full(1, Dim, 2.0)) Save("boundary_tan.npy", w);        // norm 2·√64 = 16
        using (var partial = zeros(Rows, Dim))
        {
            partial[2] = ones(Dim);
            partial[5] = ones(Dim);
            Save("brows.npy", partial);
        }
        var output = new StringWriter();

        Assert.Equal(ExitCodes.Ok, DirectionsListCommand.Run(Pack, output));

        var lines = output.ToString().Split('\n');
        var tan = lines.Single(l => l.StartsWith("tan "));
        Assert.Contains("[1,64]", tan);
        Assert.Contains(" 16 ", tan);
        Assert.Contains($"all {Rows} (W, applied to every row)", tan);
        Assert.Contains("none: class-agnostic", tan);
        var brows = lines.Single(l => l.StartsWith("brows "));
        Assert.Contains($"2 of {Rows}: 2 5", brows);
        var smile = lines.Single(l => l.StartsWith("smile "));
        Assert.Contains("class 0", smile);
        Assert.DoesNotContain("none", smile);
        Assert.Contains("4 direction(s)", output.ToString());
    }
}
