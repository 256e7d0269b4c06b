using Pipeline.Cli.Commands;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Xunit;

namespace Pipeline.Editing.Tests.World;

/// <summary>The main job of a fresh clone: README's first command on samples/ with models/demo.</summary>
public class When_editing_the_samples_with_the_demo_pack
{
    static string RepoRoot => Pipeline.Hosting.RepositoryRoot.Find();

    [Fact]
    public void Should_load_the_pack_with_every_world_attribute()
    {
        using var models = EditModels.Load(EditCommand.DefaultModels);
        Assert.True(models.ImageSize >= 64);
        foreach (var a in Pipeline.World.WorldAttributes.Names) Assert.True(models.Directions.ContainsKey(a), $"no direction for {a}");
        Assert.Contains(models.Manifest.Files, f => f.Role == EvalSyntheticCommand.ClassifierRole);
        long bytes = Directory.EnumerateFiles(models.Directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(bytes < 60_000_000, $"the demo pack is {bytes / 1e6:0.0} MB");
    }

    [Fact]
    public void Should_edit_every_sample_and_write_outputs()
    {
        var output = Directory.CreateTempSubdirectory("demo-edit-").FullName;
        var samples = Path.Combine(RepoRoot, "samples");
        var edits = new[] { AttributeEdit.Parse("smile=+1"), AttributeEdit.Parse("eyeglasses=+1") };
        int code = EditCommand.Run(samples, edits, null, EditCommand.DefaultModels, output, new MethodOptions(), SizeMode.Refuse);

        Assert.Equal(ExitCodes.Ok, code);
        var inputs = Directory.GetFiles(samples, "*.png");
        Assert.NotEmpty(inputs);
        foreach (var input in inputs)
        {
            var item = Path.Combine(output, Path.GetFileNameWithoutExtension(input));
            Assert.True(Directory.Exists(item), $"no output folder for {input}");
            Assert.NotEmpty(Directory.GetFiles(item, "*.png"));
        }
    }
}
