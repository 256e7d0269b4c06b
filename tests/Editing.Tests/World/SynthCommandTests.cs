using System.Text.Json;
using Pipeline.Cli.Commands;
using Pipeline.Editing.Imaging;
using Pipeline.World;
using Pipeline.World.Dataset;
using Pipeline.World.Scenes;

namespace Pipeline.Editing.Tests.World;

public class When_writing_a_world_with_pipeline_synth : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("synth-").FullName;
    readonly SyntheticWorld _world = new();
    const int Size = 64, Count = 3, Seed = 17;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    DatasetRequest Request(WorldSplit split, string name = "world", int seed = Seed) =>
        new(Path.Combine(_dir, name), split, Count, Size, seed, Threads: 2);

    static int Run(DatasetRequest request, out string log)
    {
        var writer = new StringWriter();
        int rc = SynthCommand.Run(request, writer);
        log = writer.ToString();
        return rc;
    }

    [Fact]
    public void Should_write_images_labels_and_manifest_for_the_train_split()
    {
        var request = Request(WorldSplit.Train);
        Assert.Equal(ExitCodes.Ok, Run(request, out _));
        var root = request.OutputDirectory;
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"{i:D6}.png"), Directory.GetFiles(Path.Combine(root, "images")).Select(Path.GetFileName).Order());
        Assert.False(Directory.Exists(Path.Combine(root, "edits")));
        Assert.False(Directory.Exists(Path.Combine(root, "occluders")));
        Assert.Equal(_world.Render(_world.Sample(Seed, 1, WorldSplit.Train), Size).Rgb, ImageReader.Read(Path.Combine(root, "images", "000001.png")).Rgb);

        var lines = File.ReadAllLines(Path.Combine(root, "labels.csv"));
        Assert.Equal(Count + 1, lines.Length);
        var header = lines[0].Split(',');
        Assert.Equal("file", header[0]);
        Assert.Equal(WorldAttributes.Names, header.Skip(1).Take(WorldAttributes.Names.Count));
        var row = lines[2].Split(',');
        Assert.Equal("images/000001.png", row[0]);
        var labels = _world.Labels(_world.Sample(Seed, 1, WorldSplit.Train));
        Assert.Equal(labels.Select(l => l ? "1" : "0"), row.Skip(1).Take(labels.Length));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "world.json")));
        Assert.Equal(Seed, json.RootElement.GetProperty("seed").GetInt32());
        Assert.Equal(Size, json.RootElement.GetProperty("size").GetInt32());
        Assert.Equal(Count, json.RootElement.GetProperty("count").GetInt32());
        Assert.Equal("train", json.RootElement.GetProperty("split").GetString());
        Assert.Equal(WorldAttributes.Names, json.RootElement.GetProperty("attributes").EnumerateArray().Select(e => e.GetString()!));
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("renderer").GetString()));
    }

    [Fact]
    public void Should_write_every_true_edit_its_change_mask_and_the_occluder_mask_for_the_ood_split()
    {
        var request = Request(WorldSplit.Ood);
        Assert.Equal(ExitCodes.Ok, Run(request, out _));
        var layout = new DatasetLayout(request.OutputDirectory);
        for (int i = 0; i < Count; i++)
        {
            var scene = _world.Sample(Seed, i, WorldSplit.Ood);
            var image = ImageReader.Read(layout.Image(i));
            Assert.Equal(_world.OccluderMask(scene, Size).Rgb, ImageReader.Read(layout.OccluderMask(i)).Rgb);
            foreach (var name in WorldAttributes.Names)
            {
                var edit = ImageReader.Read(layout.Edit(i, name));
                Assert.Equal(_world.Render(_world.Flip(scene, name), Size).Rgb, edit.Rgb);
                var mask = ImageReader.Read(layout.EditMask(i, name));
                Assert.Equal(_world.ChangeMask(image, edit), WorldRegions.White(mask));
                Assert.All(mask.Rgb, b => Assert.True(b is 0 or 255));
            }
        }
        var rows = File.ReadAllLines(layout.Labels).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(Enumerable.Range(0, Count).Select(i => _world.Sample(Seed, i, WorldSplit.Ood).Occluders.ToString()), rows.Select(r => r[^1]));
        Assert.All(rows, r => Assert.NotEqual("", r[^1]));
    }

    [Fact]
    public void Should_resume_by_rendering_only_missing_scenes()
    {
        var request = Request(WorldSplit.Ood);
        Assert.Equal(ExitCodes.Ok, Run(request, out _));
        var layout = new DatasetLayout(request.OutputDirectory);
        File.Delete(layout.EditMask(1, "beard"));
        var keep = File.GetLastWriteTimeUtc(layout.Image(0));
        Assert.Equal(ExitCodes.Ok, Run(request, out var log));
        Assert.Contains("1 rendered, 2 already there", log);
        Assert.True(File.Exists(layout.EditMask(1, "beard")));
        Assert.Equal(keep, File.GetLastWriteTimeUtc(layout.Image(0)));
    }

    [Fact]
    public void Should_refuse_to_mix_another_world_into_the_same_folder()
    {
        Assert.Equal(ExitCodes.Ok, Run(Request(WorldSplit.Train), out _));
        Assert.Equal(ExitCodes.BadInput, Run(Request(WorldSplit.Train, seed: Seed + 1), out var log));
        Assert.Contains("another world", log);
    }
}
