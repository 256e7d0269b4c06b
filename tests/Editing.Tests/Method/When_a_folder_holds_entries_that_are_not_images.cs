using Pipeline.Cli.Commands;
using Pipeline.Cli.Engines;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Tests.Imaging;

namespace Pipeline.Editing.Tests.Method;

/// <summary>
/// <c>pipeline edit --input DIR</c> over a folder of unusual entries: every entry gets exactly one line of summary.csv
/// (edited, or refused with its reason), nothing blocks on a FIFO, and the good images are edited. A cancelled run
/// stops after the batch in progress, keeps what it finished and says it was stopped.
/// </summary>
public class When_a_folder_holds_entries_that_are_not_images : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("edit-entries-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Pack => Path.Combine(_root, "pack");
    string Input => Path.Combine(_root, "in");
    static readonly AttributeEdit[] Edits = { new("smile", 1) };

    void SaveGood(string name, long seed)
    {
        using var t = TinyModelPack.Images(1, seed);
        ImageWriter.SavePng(RgbImage.FromTensor(t), Path.Combine(Input, name));
    }

    [Theory]
    [InlineData("embedded")]
    [InlineData("in-process")]
    public async Task Should_give_every_entry_one_line_without_blocking(string engine)
    {
        TinyModelPack.Create(Pack);
        Directory.CreateDirectory(Input);
        SaveGood("a.png", 1);
        SaveGood("b.png", 2);
        HandMadeImages.MakeFifo(Path.Combine(Input, "x.png"));
        Directory.CreateDirectory(Path.Combine(Input, "y.png"));
        File.WriteAllBytes(Path.Combine(Input, "g.gif"), HandMadeImages.Gif);
        File.WriteAllBytes(Path.Combine(Input, "t.tiff"), HandMadeImages.Tiff());
        File.WriteAllBytes(Path.Combine(Input, "v.avif"), HandMadeImages.AvifHeader);
        File.WriteAllBytes(Path.Combine(Input, "m.bmp"), HandMadeImages.Bmp());
        File.WriteAllBytes(Path.Combine(Input, "e.png"), []);
        var outside = Path.Combine(_root, "outside.png");
        File.Copy(Path.Combine(Input, "a.png"), outside);
        File.CreateSymbolicLink(Path.Combine(Input, "o.png"), outside);
        File.CreateSymbolicLink(Path.Combine(Input, "l.png"), Path.Combine(Input, "b.png"));
        var entries = Directory.EnumerateFileSystemEntries(Input).Count();
        var output = Path.Combine(_root, "out");

        var run = Task.Run(() => EditCommand.Run(Input, Edits, null, Pack, output, new MethodOptions { BatchSize = 2 }, SizeMode.Refuse,
            EngineTarget.Parse(engine, null, null)));
        if (await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(3))) != run)
        {
            // Release a reader stuck in open(2) on the FIFO, so that the test host can end.
            using (new FileStream(Path.Combine(Input, "x.png"), FileMode.Open, FileAccess.Write)) { }
            Assert.Fail("the run did not finish within 3 minutes (blocked on the FIFO?)");
        }

        Assert.Equal(ExitCodes.PartialFailure, await run);
        var lines = File.ReadAllLines(Path.Combine(output, "summary.csv")).Skip(1).ToList();
        Assert.Equal(entries, lines.Count);
        string Line(string item) => Assert.Single(lines, l => l.StartsWith(item + ",", StringComparison.Ordinal));
        foreach (var good in new[] { "a", "b", "l" })
        {
            Assert.StartsWith($"{good},ok", Line(good));
            Assert.True(File.Exists(Path.Combine(output, good, "final.png")), $"{good}/final.png missing");
        }
        Assert.Contains("named pipe (FIFO)", Line("x"));
        Assert.Contains("a directory", Line("y"));
        Assert.Contains("GIF images are not supported", Line("g"));
        Assert.Contains("TIFF images are not supported", Line("t"));
        Assert.Contains("AVIF images are not supported", Line("v"));
        Assert.Contains("BMP images are not supported", Line("m"));
        Assert.Contains("empty", Line("e"));
        Assert.Contains("outside the input folder", Line("o"));
    }

    [Fact]
    public void Should_stop_after_the_batch_in_progress_and_keep_what_is_done()
    {
        TinyModelPack.Create(Pack);
        Directory.CreateDirectory(Input);
        foreach (var (name, seed) in new[] { ("a.png", 1L), ("b.png", 2L), ("c.png", 3L) }) SaveGood(name, seed);
        var output = Path.Combine(_root, "out");
        using var models = EditModels.Load(Pack);
        using var stop = new CancellationTokenSource();
        var runner = new FolderEditRunner(models, new MethodOptions { BatchSize = 1 }, SizeMode.Refuse, ImageLimits.Default, output);

        var outcomes = runner.Run(FolderEditRunner.ListFolder(Input, Edits, null), _ => stop.Cancel(), stop.Token);

        var done = Assert.Single(outcomes);
        Assert.True(done.Succeeded, done.Error);
        Assert.True(File.Exists(Path.Combine(output, done.Name, "item.json")));
        Assert.Equal(["a"], Directory.EnumerateDirectories(output).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("embedded")]
    [InlineData("in-process")]
    public void Should_exit_as_stopped_and_write_the_summary_when_cancelled(string engine)
    {
        TinyModelPack.Create(Pack);
        Directory.CreateDirectory(Input);
        SaveGood("a.png", 1);
        var output = Path.Combine(_root, "out");
        using var stop = new CancellationTokenSource();
        stop.Cancel();

        var code = EditCommand.Run(Input, Edits, null, Pack, output, new MethodOptions(), SizeMode.Refuse, EngineTarget.Parse(engine, null, null),
            cancellation: stop.Token);

        Assert.Equal(ExitCodes.Stopped, code);
        Assert.Equal(["item,status,reason"], File.ReadAllLines(Path.Combine(output, "summary.csv")));
    }
}
