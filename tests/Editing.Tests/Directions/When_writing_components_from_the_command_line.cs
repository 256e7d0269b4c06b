using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.Editing.Method;
using Pipeline.Editing.Tests.Method;

namespace Pipeline.Editing.Tests.Directions;

public class When_writing_components_from_the_command_line : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("components-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    static int Pipeline(params string[] args) => new RootCommand { new Command("directions") { DirectionsComponentsCommand.Create() } }.Parse(args).Invoke();

    [Fact]
    public void Should_write_direction_files_that_a_pack_loads_with_a_contact_sheet()
    {
        var pack = Path.Combine(_root, "pack");
        var manifest = TinyModelPack.Create(pack);
        var output = Path.Combine(_root, "pcs");
        Assert.Equal(ExitCodes.Ok, Pipeline("directions", "components", "--models", pack, "--count", "2", "--out", output,
            "--samples", "300", "--layers", "1-3", "--bases", "1", "--threads", "1"));
        Assert.True(File.Exists(Path.Combine(output, DirectionsComponentsCommand.SheetFile)));
        Assert.True(File.Exists(Path.Combine(output, DirectionsComponentsCommand.ComponentsFile)));
        var entries = System.Text.Json.JsonSerializer.Deserialize<List<DirectionEntry>>(File.ReadAllText(Path.Combine(output, TrainDirectionsCommand.EntriesFile)), ModelPackManifest.Json)!;
        Assert.Equal(new[] { "pc0_rows1-3", "pc1_rows1-3" }, entries.Select(e => e.Name));
        Assert.All(entries, e => Assert.Equal(DirectionMask.Agnostic, e.Mask));
        Assert.True(entries[0].UnitStrength >= entries[1].UnitStrength && entries[1].UnitStrength > 0);

        // The entries go into the pack as they are, and the components edit with the class-agnostic mask.
        foreach (var e in entries) File.Copy(Path.Combine(output, e.File), Path.Combine(pack, e.File));
        ModelPackWriter.WriteManifest(pack, manifest with { Directions = manifest.Directions.Concat(entries).ToList() });
        using var models = EditModels.Load(pack);
        Assert.Equal(DirectionMaskKind.Agnostic, models.Direction("pc0_rows1-3").Mask.Kind);
        using var rows = models.Direction("pc0_rows1-3").Direction.Vector.abs().sum(1);
        var touched = rows.data<float>().Select((v, i) => (v, i)).Where(t => t.v > 0).Select(t => t.i);
        Assert.Equal(new[] { 1, 2, 3 }, touched);
    }

    [Fact]
    public void Should_refuse_a_mask_that_names_no_direction()
    {
        var pack = Path.Combine(_root, "pack2");
        TinyModelPack.Create(pack);
        Assert.Equal(ExitCodes.BadInput, Pipeline("directions", "components", "--models", pack, "--count", "1", "--out", Path.Combine(_root, "x"), "--samples", "10", "--mask", "beard"));
    }
}
