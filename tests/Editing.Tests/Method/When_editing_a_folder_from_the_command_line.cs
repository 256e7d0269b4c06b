using Pipeline.Cli.Commands;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Method;

public class When_editing_a_folder_from_the_command_line : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("edit-cli-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Pack => Path.Combine(_root, "pack");
    string Input => Path.Combine(_root, "in");
    string Out => Path.Combine(_root, "out");

    void SaveImage(string name, int size, long seed)
    {
        using var t = TinyModelPack.Images(1, seed);
        using var resized = nn.functional.interpolate(t, new long[] { size, size }, mode: InterpolationMode.Bilinear, align_corners: false);
        ImageWriter.SavePng(RgbImage.FromTensor(resized), Path.Combine(Input, name));
    }

    [Fact]
    public void Should_default_to_the_clones_demo_pack_by_an_absolute_path_that_any_working_directory_reaches()
    {
        var pack = EditCommand.DefaultModels;
        Assert.True(Path.IsPathRooted(pack), pack);
        Assert.True(File.Exists(Path.Combine(pack, ModelPackManifest.FileName)), pack);
        Assert.Equal(pack, new System.CommandLine.RootCommand { EditCommand.Create() }.Parse("edit --input x --edit smile=1 --out y")
            .GetValue<string>("--models"));
    }

    [Fact]
    public void Should_fail_only_the_bad_items_with_a_reason_and_finish_the_rest()
    {
        TinyModelPack.Create(Pack);
        Directory.CreateDirectory(Input);
        SaveImage("a.png", 32, 1);
        SaveImage("b.png", 32, 2);
        SaveImage("c.png", 32, 3);
        SaveImage("d.png", 32, 4);
        SaveImage("wrong_size.png", 40, 5);
        File.WriteAllText(Path.Combine(Input, "corrupt.png"), "not a png at all");
        var editsFile = Path.Combine(_root, "edits.csv");
        File.WriteAllLines(editsFile, new[] { "file,edits", "c.png,hat=+1", "d.png,smile=nan" });
        var perItem = File.ReadAllLines(editsFile).Skip(1).ToDictionary(l => l.Split(',')[0], l => (IReadOnlyList<AttributeEdit>)l.Split(',')[1].Split(';').Select(AttributeEdit.Parse).ToList());

        int code = EditCommand.Run(Input, new[] { new AttributeEdit("smile", 1), new AttributeEdit("eyeglasses", 1) }, perItem, Pack, Out,
            new MethodOptions { BatchSize = 2 }, SizeMode.Refuse);

        Assert.Equal(ExitCodes.PartialFailure, code);
        foreach (var good in new[] { "a", "b" })
            foreach (var f in new[] { "final.png", "mask.png", "coarse.png", "inversion.png", "contact_sheet.png", "item.json" })
                Assert.True(File.Exists(Path.Combine(Out, good, f)), $"{good}/{f} missing");
        var summary = File.ReadAllLines(Path.Combine(Out, "summary.csv"));
        string Reason(string item) => summary.Single(l => l.StartsWith(item + ",", StringComparison.Ordinal));
        Assert.Contains("failed", Reason("corrupt"));
        Assert.Contains("not a readable image", Reason("corrupt"));
        Assert.Contains("40x40", Reason("wrong_size"));
        Assert.Contains("unknown attribute 'hat'", Reason("c"));
        Assert.Contains("finite", Reason("d"));
        Assert.Contains("ok", Reason("a"));

        var json = File.ReadAllText(Path.Combine(Out, "a", "item.json"));
        var manifest = ModelPackManifest.Read(Path.Combine(Pack, ModelPackManifest.FileName));
        Assert.Contains(manifest.Encoder.Sha256!, json);
        Assert.Contains(manifest.Directions[0].Sha256!, json);
        Assert.Contains("\"seed\"", json);
    }

    [Fact]
    public void Should_resume_without_redoing_finished_items_and_refuse_an_unknown_global_attribute()
    {
        TinyModelPack.Create(Pack);
        Directory.CreateDirectory(Input);
        SaveImage("a.png", 32, 1);
        var edits = new[] { new AttributeEdit("smile", 1) };
        Assert.Equal(ExitCodes.Ok, EditCommand.Run(Input, edits, null, Pack, Out, new MethodOptions(), SizeMode.Refuse));
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(Out, "a", "final.png"));
        Assert.Equal(ExitCodes.Ok, EditCommand.Run(Input, edits, null, Pack, Out, new MethodOptions(), SizeMode.Refuse));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(Out, "a", "final.png")));

        var e = Assert.Throws<UnknownAttributeException>(() => EditCommand.Run(Input, new[] { new AttributeEdit("wings", 1) }, null, Pack, Path.Combine(_root, "o2"), new MethodOptions(), SizeMode.Refuse));
        Assert.Contains("wings", e.Message);
    }
}
