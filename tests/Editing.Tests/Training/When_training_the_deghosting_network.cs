using System.Text.Json;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Vgg;
using Pipeline.Editing.Training;
using Xunit.Abstractions;

namespace Pipeline.Editing.Tests.Training;

public class When_training_the_deghosting_network(ITestOutputHelper output) : IDisposable
{
    readonly TrainingWorkspace _ws = new(imageCount: 6);
    public void Dispose() => _ws.Dispose();

    DeghostTrainingOptions Options(string outDir, int steps, string? data = null) => new()
    {
        Training = new TrainingOptions
        {
            OutDir = outDir, Steps = steps, BatchSize = 2, LearningRate = 1e-3, Seed = 5,
            CheckpointEvery = 0, SampleEvery = 0, EvalEvery = 0,
        },
        DataDir = data ?? _ws.GhostPairs(),
        SampleCount = 2,
    };

    static DeghostRunResult Train(string pack, DeghostTrainingOptions options, long? stopAfter = null)
    {
        using var models = EditModels.Load(pack);
        using var trainer = new DeghostTrainer(models, options);
        return trainer.Run(new RecordingProgress(), stopAfter);
    }

    static IEnumerable<double> Term(DeghostRunResult r, string name) => r.Losses.Select(l => l[name]);

    [Fact]
    public void Should_lower_the_generator_loss_over_a_few_steps()
    {
        var r = Train(_ws.Pack, Options(_ws.Out("dg"), 15));
        var loss = Term(r, "loss_g").ToList();
        output.WriteLine("loss_g: " + string.Join(" ", loss.Select(l => l.ToString("0.0000"))));
        output.WriteLine("loss_d: " + string.Join(" ", Term(r, "loss_d").Select(l => l.ToString("0.0000"))));
        double first = TrainingWorkspace.Mean(loss.Take(3)), last = TrainingWorkspace.Mean(loss.TakeLast(3));
        output.WriteLine($"first3 {first:0.0000} last3 {last:0.0000}");
        Assert.True(last < first, $"mean generator loss of the last 3 steps {last} should be below the first 3 {first}");
        Assert.All(Term(r, "perceptual"), p => Assert.Equal(0, p));
    }

    [Fact]
    public void Should_resume_from_its_checkpoint_to_the_same_losses_as_an_uninterrupted_run()
    {
        var data = _ws.GhostPairs();
        var whole = Train(_ws.Pack, Options(_ws.Out("whole"), 6, data));
        var first = Train(_ws.Pack, Options(_ws.Out("resumed"), 6, data), stopAfter: 3);
        var rest = Train(_ws.Pack, Options(_ws.Out("resumed"), 6, data));
        output.WriteLine("whole:   " + string.Join(" ", Term(whole, "loss_g").Select(l => l.ToString("R"))));
        output.WriteLine("resumed: " + string.Join(" ", Term(first, "loss_g").Concat(Term(rest, "loss_g")).Select(l => l.ToString("R"))));
        Assert.Equal(3, rest.Losses.Count);
        foreach (var term in new[] { "loss_g", "loss_d", "pixel", "gan_g" })
            Assert.Equal(Term(whole, term), Term(first, term).Concat(Term(rest, term)));
        Assert.Equal(whole.DeghostingSha256, rest.DeghostingSha256);
        Assert.Equal(File.ReadAllBytes(whole.DiscriminatorPath), File.ReadAllBytes(rest.DiscriminatorPath));
    }

    [Fact]
    public void Should_leave_the_discriminator_untouched_when_the_adversarial_weight_is_zero()
    {
        var options = Options(_ws.Out("regression"), 3) with { GanWeight = 0 };
        var withGan = Train(_ws.Pack, Options(_ws.Out("adversarial"), 3));
        var r = Train(_ws.Pack, options);
        Assert.All(Term(r, "gan_g"), g => Assert.Equal(0, g));
        Assert.All(Term(r, "loss_d"), d => Assert.Equal(0, d));
        Assert.Equal(Term(r, "pixel"), Term(r, "loss_g"));
        // Drawn from the same seed: the adversarial run moved its discriminator, the regression run did not.
        using var models = EditModels.Load(_ws.Pack);
        using var fresh = new DeghostTrainer(models, Options(_ws.Out("fresh"), 1));
        var start = Sums(ModuleState.OfficialOrder(fresh.Discriminator));
        using var trained = CheckpointReader.Read(r.DiscriminatorPath);
        using var moved = CheckpointReader.Read(withGan.DiscriminatorPath);
        Assert.Equal(start, Sums(trained.StateDict.Select(kv => (kv.Key, kv.Value))));
        Assert.NotEqual(start, Sums(moved.StateDict.Select(kv => (kv.Key, kv.Value))));
    }

    /// <summary>Each tensor's sum by name: equal for the same weights, apart after a step.</summary>
    static Dictionary<string, float> Sums(IEnumerable<(string Name, TorchSharp.torch.Tensor Tensor)> tensors) =>
        tensors.ToDictionary(e => e.Name, e => e.Tensor.data<float>().ToArray().Sum());

    [Fact]
    public void Should_write_official_layout_files_that_the_pack_loads_strictly_after_update_pack()
    {
        var options = Options(_ws.Out("pack"), 2);
        options = options with { Training = options.Training with { SampleEvery = 1 }, EvalCount = 2 };
        string sha;
        using (var models = EditModels.Load(_ws.Pack))
        using (var trainer = new DeghostTrainer(models, options))
        {
            var r = trainer.Run(new RecordingProgress());
            Assert.NotNull(r.EvalPsnr);
            sha = r.DeghostingSha256;
            Assert.Equal(sha, trainer.UpdatePack().Deghosting.Sha256);
            using var disc = CheckpointReader.Read(r.DiscriminatorPath);
            Assert.Equal(ModuleState.OfficialOrder(trainer.Discriminator).Select(e => e.Name), disc.StateDict.Keys);
            using var dg = CheckpointReader.Read(r.DeghostingPath);
            Assert.Contains("generator.injected_noise_0", dg.StateDict.Keys);
            Assert.Contains(dg.StateDict.Keys, k => k.EndsWith("style_modulation.linear.weight_orig", StringComparison.Ordinal));
        }
        Assert.True(File.Exists(TrainingOutputs.SamplePath(_ws.Out("pack"), 1)));
        using var reloaded = EditModels.Load(_ws.Pack);
        Assert.Equal(sha, reloaded.FileHashes["deghosting"]);
    }

    [Fact]
    public void Should_keep_its_held_out_figure_and_wall_time_when_resumed_at_its_end()
    {
        var options = Options(_ws.Out("finished"), 2) with { EvalCount = 2 };
        var first = Train(_ws.Pack, options);
        var again = Train(_ws.Pack, options);          // what --update-pack on a finished run does: no step, no evaluation
        Assert.Empty(again.Losses);
        Assert.NotNull(first.EvalPsnr);
        Assert.Equal(first.EvalPsnr, again.EvalPsnr);
        var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(_ws.Out("finished"), TrainingOutputs.RunFile))).RootElement;
        Assert.Equal(first.EvalPsnr!.Value, run.GetProperty("eval_psnr").GetDouble());
        Assert.True(run.GetProperty("wall_seconds").GetDouble() > 0, "the run record keeps the wall time of the sittings that trained");
    }

    [Fact]
    public void Should_say_the_perceptual_term_is_disabled_without_vgg_weights_and_use_them_when_given()
    {
        using var models = EditModels.Load(_ws.Pack);
        var options = Options(_ws.Out("novgg"), 1);
        using (var trainer = new DeghostTrainer(models, options))
        {
            Assert.Equal(0, trainer.Weights.Perceptual);
            Assert.Contains("DISABLED", trainer.PerceptualStatus);
            var progress = new RecordingProgress();
            trainer.Run(progress);
            Assert.Contains(progress.Messages, m => m.Contains("DISABLED"));
        }
        var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(_ws.Out("novgg"), TrainingOutputs.RunFile))).RootElement;
        Assert.Equal(0, run.GetProperty("weights").GetProperty("perceptual").GetDouble());
        Assert.Contains("DISABLED", run.GetProperty("perceptual").GetString());

        // torchvision names (features.i.*) are accepted; the weights' scale keeps conv4_3 alive (see parity README §9).
        var vgg = Path.Combine(_ws.Root, "vgg16.pt");
        using (var loss = new PerceptualLoss(PerceptualLossConfig.Official))
        {
            var sd = new StateDict();
            foreach (var (name, t) in ModuleState.OfficialOrder(loss))
                if (name.StartsWith("vgg.vgg_layers.", StringComparison.Ordinal))
                {
                    using var _ = TorchSharp.torch.no_grad();
                    if (name.EndsWith("weight", StringComparison.Ordinal)) t.normal_(0, 2 / Math.Sqrt(t.shape[1] * 9));
                    sd.Add("features." + name["vgg.vgg_layers.".Length..], t);
                }
            TorchSaveWriter.Write(vgg, sd);
        }
        using var withVgg = new DeghostTrainer(models, Options(_ws.Out("vgg"), 1) with { Vgg = vgg, Preset = DeghostPreset.Paper });
        Assert.Equal(0.8, withVgg.Weights.Perceptual);
        var step = withVgg.TrainStep(1);
        Assert.True(step["perceptual"] > 0, "with VGG weights the perceptual term must contribute");
    }

    [Fact]
    public void Should_start_from_scratch_with_the_generator_copied_from_the_pack_decoder()
    {
        using var models = EditModels.Load(_ws.Pack);
        using var trainer = new DeghostTrainer(models, Options(_ws.Out("scratch"), 1) with { Init = "scratch" });
        var decoder = ModuleState.OfficialOrder(models.Psp.Decoder).ToDictionary(e => e.Name, e => e.Tensor);
        int compared = 0;
        foreach (var (name, t) in ModuleState.OfficialOrder(trainer.Network.Generator))
        {
            if (name.StartsWith("style.", StringComparison.Ordinal)) continue;
            Assert.True(t.equal(decoder[name]).all().item<bool>(), $"{name} should be the pSp decoder's");
            Assert.False(t.requires_grad && t is TorchSharp.Modules.Parameter, $"{name} must stay frozen");
            compared++;
        }
        Assert.True(compared > 20);
        Assert.False(ModuleState.OfficialOrder(trainer.Network.Fcn).First().Tensor.equal(ModuleState.OfficialOrder(models.Deghost.Fcn).First().Tensor).all().item<bool>());
    }
}
