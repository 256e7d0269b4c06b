using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.Editing.Method;

namespace Pipeline.Editing.Tests.Training;

public class When_training_a_packs_encoder_further : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("encoder-further-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    static int Pipeline(params string[] args)
    {
        var root = new RootCommand();
        WorldTrainCommands.AddTo(root);
        return root.Parse(args).Invoke();
    }

    string[] OneStep(string prior, string name) =>
        new[] { "train", "encoder", "--prior", prior, "--out", Path.Combine(_root, name), "--steps", "1", "--batch", "2", "--lr", "1e-5",
            "--sample-every", "0", "--eval-every", "0", "--seed", "5", "--threads", "1", "--update-pack" };

    [Fact]
    public void Should_put_each_runs_encoder_into_the_pack_and_keep_the_record_of_every_run()
    {
        var pack = Path.Combine(_root, "pack");
        Directory.CreateDirectory(pack);
        foreach (var file in Directory.EnumerateFiles(FixturePaths.DemoPack, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(pack, Path.GetRelativePath(FixturePaths.DemoPack, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        var shipped = FileHash.Sha256(Path.Combine(pack, "psp.pt"));
        int recordsBefore;
        using (var before = EditModels.Load(pack))
            recordsBefore = before.Manifest.Training!.Value.TryGetProperty("encoder_fine_tune", out var earlier) ? earlier.GetArrayLength() : 0;

        Assert.Equal(ExitCodes.Ok, Pipeline(OneStep(pack, "first")));
        Assert.Equal(ExitCodes.Ok, Pipeline(OneStep(pack, "second")));

        using var models = EditModels.Load(pack);
        var trained = FileHash.Sha256(Path.Combine(_root, "second", "psp.pt"));
        Assert.NotEqual(shipped, trained);
        Assert.Equal(trained, FileHash.Sha256(Path.Combine(pack, "psp.pt")));
        Assert.Equal(trained, models.Manifest.Encoder.Sha256);
        var runs = models.Manifest.Training!.Value.GetProperty("encoder_fine_tune");
        Assert.Equal(recordsBefore + 2, runs.GetArrayLength());
        Assert.Equal(1, runs[runs.GetArrayLength() - 1].GetProperty("last_step").GetInt64());
        // The pack's other records stay as they were.
        Assert.True(models.Manifest.Training!.Value.TryGetProperty("deghosting_fine_tune", out _));
    }

    [Fact]
    public void Should_refuse_to_update_a_folder_that_is_not_a_model_pack()
    {
        var notAPack = Path.Combine(_root, "prior");
        Directory.CreateDirectory(notAPack);
        File.WriteAllText(Path.Combine(notAPack, "encoder.json"), "{}");
        Assert.Equal(ExitCodes.BadInput, Pipeline(OneStep(notAPack, "run")));
        Assert.False(Directory.Exists(Path.Combine(_root, "run", "checkpoint")));
        // The renderer's command has nothing to put into a pack, so it has no such option.
        Assert.NotEqual(ExitCodes.Ok, Pipeline("train", "prior", "--out", Path.Combine(_root, "renderer"), "--steps", "1", "--update-pack"));
    }
}
