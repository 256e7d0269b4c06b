using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.Editing.Method;
using Pipeline.Editing.Training;

namespace Pipeline.Editing.Tests.Training;

public class When_training_from_the_command_line : IDisposable
{
    readonly TrainingWorkspace _ws = new(imageCount: 4, diffCamInputSize: 64);
    public void Dispose() => _ws.Dispose();

    static int Pipeline(params string[] args)
    {
        var root = new RootCommand { TrainCommand.Create(), GhostSetCommand.Create() };
        return root.Parse(args).Invoke();
    }

    [Fact]
    public void Should_build_a_ghost_set_train_both_networks_on_it_and_update_the_pack()
    {
        var ghost = _ws.Out("ghost");
        Assert.Equal(ExitCodes.Ok, Pipeline("ghost-set", "--models", _ws.Pack, "--input", _ws.Images, "--out", ghost, "--seed", "4", "--alpha-range", "2,4", "--noise", "stored", "--threads", "1"));
        Assert.Equal(4, GhostSetManifest.TryRead(ghost)!.Items.Count);

        var dg = _ws.Out("dg");
        Assert.Equal(ExitCodes.Ok, Pipeline("train", "deghost", "--models", _ws.Pack, "--data", ghost, "--out", dg, "--steps", "2", "--batch", "2",
            "--preset", "paper", "--disc-channels", "4:16,8:16,16:8,32:8", "--sample-every", "1", "--init", "scratch", "--update-pack", "--threads", "1"));
        Assert.True(File.Exists(Path.Combine(dg, "deghosting.pt")));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(dg, TrainingOutputs.LogFile)).Length);

        var da = _ws.Out("da");
        Assert.Equal(ExitCodes.Ok, Pipeline("train", "da", "--models", _ws.Pack, "--latents", "--out", da, "--steps", "2", "--batch", "2",
            "--eval-count", "2", "--lr", "1e-3", "--init", "scratch", "--update-pack", "--threads", "1"));
        Assert.True(File.Exists(TrainingOutputs.SamplePath(da, 2)));

        var models = EditModels.Load(_ws.Pack);
        Assert.Equal(global::Pipeline.Editing.Method.FileHash.Sha256(Path.Combine(da, "diffcam.pt")), models.FileHashes["diffcam"]);
        Assert.Equal(global::Pipeline.Editing.Method.FileHash.Sha256(Path.Combine(dg, "deghosting.pt")), models.FileHashes["deghosting"]);
        Assert.True(models.Manifest.Training!.Value.TryGetProperty("da", out _));
        Assert.True(models.Manifest.Training!.Value.TryGetProperty("deghost", out _));
        models.Dispose();

        // Trained further from the pack's own Deghosting, twice: each run is appended, none replaces another.
        foreach (var name in new[] { "dg-more", "dg-more-again" })
            Assert.Equal(ExitCodes.Ok, Pipeline("train", "deghost", "--models", _ws.Pack, "--data", ghost, "--out", _ws.Out(name), "--steps", "1", "--batch", "2",
                "--init", "pack", "--gan-weight", "0", "--disc-channels", "4:16,8:16,16:8,32:8", "--update-pack", "--threads", "1"));
        using var further = EditModels.Load(_ws.Pack);
        Assert.Equal(global::Pipeline.Editing.Method.FileHash.Sha256(Path.Combine(_ws.Out("dg-more-again"), "deghosting.pt")), further.FileHashes["deghosting"]);
        Assert.Equal(2, further.Manifest.Training!.Value.GetProperty(DeghostTrainer.FineTuneKey).GetArrayLength());
        Assert.True(further.Manifest.Training!.Value.TryGetProperty("deghost", out _));

        // The same for the pack's own DiffCam.
        foreach (var name in new[] { "da-more", "da-more-again" })
            Assert.Equal(ExitCodes.Ok, Pipeline("train", "da", "--models", _ws.Pack, "--latents", "--out", _ws.Out(name), "--steps", "1", "--batch", "2",
                "--eval-count", "2", "--init", "pack", "--update-pack", "--threads", "1"));
        using var daFurther = EditModels.Load(_ws.Pack);
        Assert.Equal(global::Pipeline.Editing.Method.FileHash.Sha256(Path.Combine(_ws.Out("da-more-again"), "diffcam.pt")), daFurther.FileHashes["diffcam"]);
        Assert.Equal(2, daFurther.Manifest.Training!.Value.GetProperty(DaTrainer.FineTuneKey).GetArrayLength());
        Assert.True(daFurther.Manifest.Training!.Value.TryGetProperty("da", out _));
    }

    [Fact]
    public void Should_refuse_bad_arguments_with_exit_code_2()
    {
        Assert.Equal(ExitCodes.BadInput, Pipeline("train", "da", "--models", _ws.Pack, "--out", _ws.Out("x"), "--data", _ws.Images, "--latents"));
        Assert.Equal(ExitCodes.BadInput, Pipeline("train", "deghost", "--models", _ws.Pack, "--out", _ws.Out("y"), "--data", _ws.Images));
        Assert.Equal(ExitCodes.BadInput, Pipeline("ghost-set", "--models", _ws.Pack, "--input", _ws.Images, "--out", _ws.Out("z"), "--alpha-range", "5"));
    }
}
