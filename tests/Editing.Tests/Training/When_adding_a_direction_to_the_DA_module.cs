using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Training;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Training;

public class When_adding_a_direction_to_the_DA_module : IDisposable
{
    readonly TrainingWorkspace _ws = new(imageCount: 8);
    public void Dispose() => _ws.Dispose();

    /// <summary>The tiny pack with eyeglasses taken out of the DA module's classes (its mask borrowed from the nearest).</summary>
    string PackWithoutEyeglassesClass()
    {
        var path = Path.Combine(_ws.Pack, ModelPackManifest.FileName);
        var m = ModelPackManifest.Read(path);
        ModelPackWriter.WriteManifest(_ws.Pack, m with { Directions = m.Directions.Select(d => d.Name == "eyeglasses" ? d with { Mask = DirectionMask.Nearest } : d).ToList() });
        return _ws.Pack;
    }

    DaTrainingOptions Options(string outDir, int steps) => new()
    {
        Training = new TrainingOptions { OutDir = outDir, Steps = steps, BatchSize = 4, LearningRate = 1e-2, Seed = 3, CheckpointEvery = 0, SampleEvery = 0, EvalEvery = 0 },
        DataDir = _ws.Images,
        Noise = TrainingNoise.Stored,
        EvalCount = 2,
        SampleCount = 0,
        AddDirection = "eyeglasses",
    };

    static DaRunResult Train(string pack, DaTrainingOptions options, long? stopAfter = null)
    {
        using var models = EditModels.Load(pack);
        using var trainer = new DaTrainer(models, options);
        return trainer.Run(new RecordingProgress(), stopAfter);
    }

    [Fact]
    public void Should_resume_from_its_checkpoint_to_the_same_head_as_an_uninterrupted_run()
    {
        var pack = PackWithoutEyeglassesClass();
        var whole = Train(pack, Options(_ws.Out("whole"), 4));
        var first = Train(pack, Options(_ws.Out("resumed"), 4), stopAfter: 2);
        Assert.Equal(2, first.LastStep);
        var rest = Train(pack, Options(_ws.Out("resumed"), 4));
        Assert.Equal(2, rest.Losses.Count);
        Assert.Equal(whole.Losses.Skip(2), rest.Losses);
        Assert.Equal(whole.DiffCamSha256, rest.DiffCamSha256);
    }

    [Fact]
    public void Should_train_only_a_new_row_of_the_head_and_give_the_pack_that_class()
    {
        var pack = PackWithoutEyeglassesClass();
        Dictionary<string, Tensor> before;
        using (var models = EditModels.Load(pack)) before = ModuleState.ToStateDict(models.DiffCam).ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        using (var models = EditModels.Load(pack))
        using (var trainer = new DaTrainer(models, Options(_ws.Out("add"), 4)))
        {
            trainer.Run(new RecordingProgress());
            var after = ModuleState.ToStateDict(trainer.DiffCam);
            foreach (var key in before.Keys.Where(k => !k.StartsWith("fc.", StringComparison.Ordinal)))
                Assert.True(before[key].eq(after[key]).all().item<bool>(), $"{key} changed, but the trunk is frozen");
            Assert.Equal(new long[] { 3, before["fc.weight"].shape[1] }, after["fc.weight"].shape);
            Assert.False(after["fc.weight"][2].eq(before["fc.weight"][0]).all().item<bool>());
            trainer.UpdatePack();
        }
        using var updated = EditModels.Load(pack);
        Assert.Equal(3, updated.Manifest.DiffCam.NumClass);
        Assert.Equal(DirectionMaskKind.OwnClass, updated.Direction("eyeglasses").Mask.Kind);
        Assert.Equal(2, updated.Direction("eyeglasses").Mask.Target);
    }

    [Fact]
    public void Should_refuse_to_add_a_direction_the_DA_module_already_knows()
    {
        using var models = EditModels.Load(_ws.Pack);
        var e = Assert.Throws<ArgumentException>(() => new DaTrainer(models, Options(_ws.Out("known"), 2)));
        Assert.Contains("eyeglasses", e.Message);
        Assert.Contains("class 1", e.Message);
    }
}
