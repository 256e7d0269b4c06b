using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.Discriminator;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Training;
using Xunit;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Training;

public class When_training_the_prior
{
    static TrainingOptions Options(string dir, int steps) => new()
    {
        OutDir = dir, Steps = steps, BatchSize = 4, LearningRate = 2e-3, Beta1 = 0.5, Beta2 = 0.99, Seed = 3, CheckpointEvery = 100,
    };

    [Fact]
    public void Should_lower_the_reconstruction_loss_in_a_few_steps()
    {
        var dir = Directory.CreateTempSubdirectory("prior-").FullName;
        using var data = TinyTrainingData.Images(24);
        using var prior = new SeededPrior();
        var progress = new RecordingProgress();
        var outcome = new PriorTrainer(prior.Psp, prior.Discriminator, new PriorRecipe { HeldOut = 4 }, Options(dir, 24)).Run(data, prior.LatentAvg, progress, "test");

        var l1 = progress.Steps.Select(s => s.Losses["l1"]).ToList();
        Assert.Equal(24, outcome.Step);
        Assert.True(l1.TakeLast(4).Average() < 0.8 * l1.Take(4).Average(), $"l1 went {string.Join(", ", l1.Select(v => v.ToString("0.000")))}");
        Assert.Contains("g_adv", progress.Steps[0].Losses.Keys);
        Assert.True(double.IsFinite(outcome.Metrics["heldout_psnr"]));
    }

    [Fact]
    public void Should_resume_a_later_sitting_from_the_checkpoint()
    {
        var dir = Directory.CreateTempSubdirectory("prior-resume-").FullName;
        using var data = TinyTrainingData.Images(12);
        manual_seed(1);
        using (var psp = new Pipeline.Editing.Networks.Psp.Psp(TinyTrainingData.Psp))
        using (var avg = TinyTrainingData.LatentAverage(psp))
        using (var latentAvg = new LatentAverage(avg))
            new PriorTrainer(psp, null, new PriorRecipe { AdversarialWeight = 0, HeldOut = 2 }, Options(dir, 3)).Run(data, latentAvg, new RecordingProgress(), "test");

        manual_seed(99);   // a different initialisation: everything must come from the checkpoint
        using var psp2 = new Pipeline.Editing.Networks.Psp.Psp(TinyTrainingData.Psp);
        using var avg2 = zeros(psp2.Config.NStyles, psp2.Config.StyleDim);
        using var latentAvg2 = new LatentAverage(avg2);
        var progress = new RecordingProgress();
        var outcome = new PriorTrainer(psp2, null, new PriorRecipe { AdversarialWeight = 0, HeldOut = 2 }, Options(dir, 5)).Run(data, latentAvg2, progress, "test");

        Assert.Equal(5, outcome.Step);
        Assert.Equal(new long[] { 4, 5 }, progress.Steps.Select(s => s.Step).ToArray());
        Assert.Contains(progress.Messages, m => m.Contains("resumed at step 3"));
        Assert.True(latentAvg2.Value.abs().sum().item<float>() > 0, "latent_avg must come back from the checkpoint");
        Assert.Equal(6, File.ReadAllLines(Path.Combine(dir, "log.csv")).Length);   // header + 5 steps
    }

    [Fact]
    public void Should_run_a_resumed_sitting_at_its_own_learning_rate_and_record_the_change()
    {
        var dir = Directory.CreateTempSubdirectory("prior-recipe-").FullName;
        using var data = TinyTrainingData.Images(12);
        using var prior = new SeededPrior();
        var (psp, disc, latentAvg) = (prior.Psp, prior.Discriminator, prior.LatentAvg);
        new PriorTrainer(psp, disc, new PriorRecipe { HeldOut = 2 }, Options(dir, 2)).Run(data, latentAvg, new RecordingProgress(), "test");

        // With a vanishing learning rate the resumed sitting must leave the weights (almost) where the checkpoint had them;
        // had Adam kept the saved rate (2e-3), they would move by about that much per step.
        using var before = ModuleState.ToStateDict(psp.Decoder);
        var snapshot = before.ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var progress = new RecordingProgress();
        var slow = Options(dir, 4) with { LearningRate = 1e-9 };
        new PriorTrainer(psp, disc, new PriorRecipe { HeldOut = 2, AdversarialWeight = 0.01 }, slow).Run(data, latentAvg, progress, "test");

        using var after = ModuleState.ToStateDict(psp.Decoder);
        double moved = after.Max(kv => (kv.Value - snapshot[kv.Key]).abs().max().item<float>());
        Assert.True(moved < 1e-6, $"the decoder moved by {moved} at lr 1e-9");
        Assert.Contains(progress.Messages, m => m.Contains("recipe from step 2: lr=1E-09 adversarial=0.01"));
        var state = System.Text.Json.JsonSerializer.Deserialize<TrainingCheckpoint.State>(File.ReadAllText(Path.Combine(dir, "checkpoint", "state.json")))!;
        Assert.Equal("0: lr=0.002 adversarial=0.05; 2: lr=1E-09 adversarial=0.01", state.Extra[PriorTrainer.RecipeHistoryKey]);
        Assert.Equal("0.01", state.Extra[PriorTrainer.AdversarialWeightKey]);
        foreach (var t in snapshot.Values) t.Dispose();
    }

    [Fact]
    public void Should_keep_the_generator_fixed_when_training_the_encoder_alone()
    {
        var dir = Directory.CreateTempSubdirectory("encoder-").FullName;
        using var data = TinyTrainingData.Images(12);
        manual_seed(1);
        using var psp = new Pipeline.Editing.Networks.Psp.Psp(TinyTrainingData.Psp);
        using var avg = TinyTrainingData.LatentAverage(psp);
        using var latentAvg = new LatentAverage(avg);
        using var before = ModuleState.ToStateDict(psp.Decoder);
        var snapshot = before.ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        using var encBefore = psp.Encoder.parameters().First().clone();

        new PriorTrainer(psp, null, new PriorRecipe { TrainDecoder = false, AdversarialWeight = 0, HeldOut = 2 }, Options(dir, 3)).Run(data, latentAvg, new RecordingProgress(), "test");

        using var after = ModuleState.ToStateDict(psp.Decoder);
        foreach (var (k, v) in after) Assert.True(v.allclose(snapshot[k], 0, 0), $"decoder tensor {k} changed");
        Assert.False(psp.Encoder.parameters().First().allclose(encBefore, 0, 0), "the encoder did not learn");
        foreach (var t in snapshot.Values) t.Dispose();
    }

    /// <summary>The tiny pSp, discriminator and latent average every prior test starts from (seed 1).</summary>
    sealed class SeededPrior : IDisposable
    {
        private readonly Tensor _average;

        public SeededPrior()
        {
            manual_seed(1);
            Psp = new Pipeline.Editing.Networks.Psp.Psp(TinyTrainingData.Psp);
            Discriminator = new StyleGan2Discriminator(TinyTrainingData.Discriminator);
            _average = TinyTrainingData.LatentAverage(Psp);
            LatentAvg = new LatentAverage(_average);
        }

        public Pipeline.Editing.Networks.Psp.Psp Psp { get; }
        public StyleGan2Discriminator Discriminator { get; }
        public LatentAverage LatentAvg { get; }

        public void Dispose()
        {
            LatentAvg.Dispose();
            _average.Dispose();
            Discriminator.Dispose();
            Psp.Dispose();
        }
    }
}
