using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Tests.Method;

namespace Pipeline.Editing.Tests.Directions;

public class When_choosing_the_masks_of_a_pack : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("masks-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    static int Pipeline(params string[] args) => new RootCommand { new Command("directions") { DirectionsMaskCommand.Create() } }.Parse(args).Invoke();

    string Pack()
    {
        var pack = Path.Combine(_root, "pack");
        TinyModelPack.Create(pack);
        return pack;
    }

    [Fact]
    public void Should_give_every_direction_the_agnostic_mask_with_its_gain_and_record_the_command()
    {
        var pack = Pack();

        Assert.Equal(ExitCodes.Ok, Pipeline("directions", "mask", "--models", pack, "--mask", "agnostic", "--agnostic-gain", "2"));

        using var models = EditModels.Load(pack);
        Assert.All(models.Directions.Values, d => Assert.Equal(DirectionMaskKind.Agnostic, d.Mask.Kind));
        Assert.Equal(2, models.AgnosticMaskGain);
        var record = models.Manifest.Training!.Value.GetProperty("masks");
        Assert.Equal("agnostic", record.GetProperty("mask").GetString());
        Assert.Equal(models.Directions.Count, record.GetProperty("names").GetArrayLength());
        // Each direction keeps its own DA class for training, which the mask no longer uses.
        Assert.Equal(models.Directions.Keys.Order(StringComparer.Ordinal), models.ClassedDirectionNames);
    }

    [Fact]
    public void Should_keep_a_trained_direction_for_DA_training_beside_an_added_row_that_names_only_the_agnostic_mask()
    {
        var pack = Pack();
        Assert.Equal(ExitCodes.Ok, Pipeline("directions", "mask", "--models", pack, "--mask", "agnostic"));
        var folder = Path.Combine(pack, PackDirections.Folder);
        using (var w = TorchSharp.torch.ones(1, 64)) NpyFile.Write(Path.Combine(folder, "tan.npy"), w.to_type(TorchSharp.torch.ScalarType.Float64));
        File.WriteAllText(Path.Combine(folder, DirectionList.CsvFile), "name,file,unit_strength,class\ntan,tan.npy,1,agnostic\n");

        using var models = EditModels.Load(pack);
        var tan = models.Direction("tan");
        Assert.Equal(DirectionMaskKind.Agnostic, tan.Mask.Kind);
        Assert.True(tan.ClassAssumed);                                  // its class index is a placeholder
        // The placeholder claims no class, so every trained direction still has its class alone.
        Assert.Equal(new[] { "eyeglasses", "smile" }, models.ClassedDirectionNames);
    }

    [Fact]
    public void Should_give_a_named_direction_its_own_class_back()
    {
        var pack = Pack();
        Assert.Equal(ExitCodes.Ok, Pipeline("directions", "mask", "--models", pack, "--mask", "agnostic"));

        Assert.Equal(ExitCodes.Ok, Pipeline("directions", "mask", "--models", pack, "--mask", "own", "--names", "smile"));

        using var models = EditModels.Load(pack);
        Assert.Equal(DirectionMaskKind.OwnClass, models.Direction("smile").Mask.Kind);
        Assert.Equal(DirectionMaskKind.Agnostic, models.Direction("eyeglasses").Mask.Kind);
    }

    [Fact]
    public void Should_leave_the_manifest_as_it_was_when_a_mask_cannot_be_resolved()
    {
        var pack = Pack();
        var manifest = Path.Combine(pack, ModelPackManifest.FileName);
        var before = File.ReadAllBytes(manifest);

        // Every direction borrowing smile's class leaves no direction trained on it to borrow from.
        Assert.Equal(ExitCodes.BadInput, Pipeline("directions", "mask", "--models", pack, "--mask", "smile"));
        Assert.Equal(ExitCodes.BadInput, Pipeline("directions", "mask", "--models", pack, "--mask", "agnostic", "--names", "no_such"));
        Assert.Equal(ExitCodes.BadInput, Pipeline("directions", "mask", "--models", pack, "--mask", "agnostic", "--agnostic-gain", "0.5"));

        Assert.Equal(before, File.ReadAllBytes(manifest));
    }
}
