using Pipeline.Editing.Method;
using Pipeline.Editing.Training;
using Xunit.Abstractions;

namespace Pipeline.Editing.Tests.Training;

public class When_training_the_DA_module(ITestOutputHelper output) : IDisposable
{
    readonly TrainingWorkspace _ws = new(imageCount: 16);
    public void Dispose() => _ws.Dispose();

    DaTrainingOptions Options(string outDir, int steps, string? data = "images") => new()
    {
        Training = new TrainingOptions
        {
            OutDir = outDir, Steps = steps, BatchSize = 4, LearningRate = 1e-3, Seed = 3,
            CheckpointEvery = 0, SampleEvery = 0, EvalEvery = 0,
        },
        DataDir = data is null ? null : _ws.Images,
        // Stored noise: with the tiny pack's random generator, fresh noise would swamp the edit in 20 steps.
        Noise = TrainingNoise.Stored,
        EvalCount = 2,
        SampleCount = 2,
    };

    static DaRunResult Train(string pack, DaTrainingOptions options, long? stopAfter = null)
    {
        using var models = EditModels.Load(pack);
        using var trainer = new DaTrainer(models, options);
        return trainer.Run(new RecordingProgress(), stopAfter);
    }

    [Fact]
    public void Should_lower_the_cross_entropy_over_twenty_steps()
    {
        var r = Train(_ws.Pack, Options(_ws.Out("da"), 20));
        output.WriteLine("losses: " + string.Join(" ", r.Losses.Select(l => l.ToString("0.0000"))));
        double first = TrainingWorkspace.Mean(r.Losses.Take(3)), last = TrainingWorkspace.Mean(r.Losses.TakeLast(3));
        output.WriteLine($"first3 {first:0.0000} last3 {last:0.0000}");
        Assert.Equal(20, r.Losses.Count);
        Assert.True(last < first, $"mean loss of the last 3 steps {last} should be below the first 3 {first}");
    }

    [Fact]
    public void Should_keep_its_held_out_accuracy_and_wall_time_when_resumed_at_its_end()
    {
        var first = Train(_ws.Pack, Options(_ws.Out("finished"), 2));
        var again = Train(_ws.Pack, Options(_ws.Out("finished"), 2));   // what --update-pack on a finished run does
        Assert.Empty(again.Losses);
        Assert.NotNull(first.EvalAccuracy);
        Assert.Equal(first.EvalAccuracy, again.EvalAccuracy);
        var run = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_ws.Out("finished"), TrainingOutputs.RunFile))).RootElement;
        Assert.Equal(first.EvalAccuracy!.Value, run.GetProperty("eval_accuracy").GetDouble());
        Assert.True(run.GetProperty("wall_seconds").GetDouble() > 0, "the run record keeps the wall time of the sittings that trained");
    }

    [Fact]
    public void Should_resume_from_its_checkpoint_to_the_same_losses_as_an_uninterrupted_run()
    {
        var whole = Train(_ws.Pack, Options(_ws.Out("whole"), 10));
        var first = Train(_ws.Pack, Options(_ws.Out("resumed"), 10), stopAfter: 5);
        Assert.Equal(5, first.LastStep);
        var rest = Train(_ws.Pack, Options(_ws.Out("resumed"), 10));
        output.WriteLine("whole:   " + string.Join(" ", whole.Losses.Select(l => l.ToString("R"))));
        output.WriteLine("resumed: " + string.Join(" ", first.Losses.Concat(rest.Losses).Select(l => l.ToString("R"))));
        Assert.Equal(5, rest.Losses.Count);
        Assert.Equal(whole.Losses.Take(5), first.Losses);
        Assert.Equal(whole.Losses.Skip(5), rest.Losses);
        Assert.Equal(whole.DiffCamSha256, rest.DiffCamSha256);
        var log = File.ReadAllLines(Path.Combine(_ws.Out("resumed"), TrainingOutputs.LogFile));
        Assert.Equal(11, log.Length);
    }

    [Fact]
    public void Should_write_an_official_layout_diffcam_that_the_pack_loads_strictly_after_update_pack()
    {
        var options = Options(_ws.Out("latents"), 3, data: null) with
        {
            Training = Options(_ws.Out("latents"), 3).Training with { EvalEvery = 2, SampleEvery = 2, CheckpointEvery = 2 },
        };
        string trainedSha;
        using (var models = EditModels.Load(_ws.Pack))
        using (var trainer = new DaTrainer(models, options))
        {
            var r = trainer.Run(new RecordingProgress());
            Assert.Equal(3, r.LastStep);
            Assert.NotNull(r.EvalAccuracy);
            trainedSha = r.DiffCamSha256;
            var manifest = trainer.UpdatePack();
            Assert.Equal(trainedSha, manifest.DiffCam.Sha256);
        }
        Assert.True(File.Exists(TrainingOutputs.SamplePath(_ws.Out("latents"), 2)));
        Assert.True(File.Exists(TrainingOutputs.SamplePath(_ws.Out("latents"), 3)));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(_ws.Out("latents"), TrainingOutputs.EvalLogFile)).Length);
        using var reloaded = EditModels.Load(_ws.Pack);
        Assert.Equal(trainedSha, reloaded.FileHashes["diffcam"]);
        using var trained = Pipeline.Editing.Checkpoints.CheckpointReader.Read(Path.Combine(_ws.Out("latents"), "diffcam.pt"));
        var keys = Pipeline.Editing.Checkpoints.ModuleState.OfficialOrder(reloaded.DiffCam).Select(e => e.Name);
        Assert.Equal(keys, trained.StateDict.Keys);
    }

    [Fact]
    public void Should_refuse_a_direction_the_pack_does_not_have()
    {
        using var models = EditModels.Load(_ws.Pack);
        var e = Assert.Throws<UnknownAttributeException>(() => new DaTrainer(models, Options(_ws.Out("bad"), 2) with { Directions = new[] { "smile", "hat" } }));
        Assert.Contains("hat", e.Message);
    }

    [Fact]
    public void Should_start_from_an_official_layout_file_exactly_as_from_the_pack()
    {
        var fromPack = Train(_ws.Pack, Options(_ws.Out("from-pack"), 1));
        var fromFile = Train(_ws.Pack, Options(_ws.Out("from-file"), 1) with { Init = Path.Combine(_ws.Pack, ModelPackWriter.DiffCamFile) });
        Assert.Equal(fromPack.Losses, fromFile.Losses);
        Assert.Equal(fromPack.DiffCamSha256, fromFile.DiffCamSha256);
    }
}
