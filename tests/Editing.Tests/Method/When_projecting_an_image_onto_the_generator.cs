using Pipeline.Editing.Method;
using Pipeline.Editing.Metrics.Quality;
using Pipeline.Editing.Networks.StyleGan2;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Method;

public class When_projecting_an_image_onto_the_generator
{
    sealed class Steps : IProgress<ProjectionStep>
    {
        public List<ProjectionStep> Seen { get; } = new();
        public void Report(ProjectionStep value) => Seen.Add(value);
    }

    static double MeanPsnr(Tensor a, Tensor b)
    {
        // ImageQuality works on [0,1] images.
        using var a01 = ((a + 1) / 2).clamp(0, 1);
        using var b01 = ((b + 1) / 2).clamp(0, 1);
        using var psnr = ImageQuality.Psnr(a01, b01);
        return psnr.mean().item<double>();
    }

    static Tensor Render(StyleGan2Generator g, Tensor latent)
    {
        using var _ = no_grad();
        return g.Synthesize(latent, g.NoiseFor(NoiseSource.Stored, latent.shape[0], CPU));
    }

    [Fact]
    public void Should_lower_the_loss_over_the_steps_and_report_every_step()
    {
        using var g = TinyGenerator.Create();
        using var vgg = TinyGenerator.RandomVgg();
        using var images = TinyModelPack.Images(2, seed: 11);
        var progress = new Steps();
        var options = new ProjectionOptions { Steps = 40, PerceptualWeight = 0.5, MeanSamples = 256, Seed = 5, Progress = progress };
        var projection = new LatentProjection(g, null, options, vgg);
        Assert.True(projection.UsesPerceptual);

        using var result = projection.Project(images, NoiseSource.Stored);

        Assert.Equal(options.Steps, result.Losses.Count);
        Assert.Equal(Enumerable.Range(1, options.Steps), progress.Seen.Select(s => s.Step));
        for (int i = 0; i < 2; i++)
            Assert.True(result.Losses[^1][i] < 0.7 * result.Losses[0][i], $"image {i}: loss {result.Losses[0][i]:0.0000} → {result.Losses[^1][i]:0.0000}");
        // The recorded loss is the one the code measures after the last step, not a stale value.
        using var start = projection.StartLatent(2, CPU);
        using var startLoss = projection.Loss(start, images, NoiseSource.Stored);
        using var endLoss = projection.Loss(result.Latent, images, NoiseSource.Stored);
        Assert.True((endLoss < startLoss * 0.7).all().item<bool>());
    }

    [Fact]
    public void Should_reconstruct_an_image_the_generator_made_better_than_the_start_latent()
    {
        using var g = TinyGenerator.Create();
        using var target = TinyGenerator.Generated(g, 2, seed: 21);
        var options = new ProjectionOptions { Steps = 60, PerceptualWeight = 0, MeanSamples = 512, Seed = 1 };
        var projection = new LatentProjection(g, null, options, null);

        using var start = projection.StartLatent(2, CPU);
        using var result = projection.Project(target, NoiseSource.Stored);
        using var fromStart = Render(g, start);
        using var fromProjection = Render(g, result.Latent);

        double before = MeanPsnr(fromStart, target), after = MeanPsnr(fromProjection, target);
        Assert.True(after > before + 3, $"PSNR {before:0.00} dB at the start, {after:0.00} dB after the projection");
    }

    [Fact]
    public void Should_give_the_identical_latent_for_the_same_seed_and_another_for_another_seed()
    {
        using var g = TinyGenerator.Create();
        using var vgg = TinyGenerator.RandomVgg();
        using var images = TinyModelPack.Images(1, seed: 13);
        ProjectionResult Run(ulong seed) =>
            new LatentProjection(g, null, new ProjectionOptions { Steps = 8, PerceptualWeight = 0.5, MeanSamples = 16, Seed = seed }, vgg)
                .Project(images, NoiseSource.Stored);

        using var a = Run(7);
        using var b = Run(7);
        using var c = Run(8);

        Assert.True(a.Latent.eq(b.Latent).all().item<bool>(), "same seed, different latents");
        Assert.False(a.Latent.allclose(c.Latent), "another seed gave the same latent");
    }

    [Fact]
    public void Should_project_each_image_of_a_batch_as_if_it_were_alone()
    {
        using var g = TinyGenerator.Create();
        using var images = TinyModelPack.Images(2, seed: 17);
        var projection = new LatentProjection(g, null, new ProjectionOptions { Steps = 10, PerceptualWeight = 0, MeanSamples = 64, Seed = 2 }, null);

        using var batch = projection.Project(images, NoiseSource.Stored);
        using var second = images.narrow(0, 1, 1);
        using var alone = projection.Project(second, NoiseSource.Stored);

        using var fromBatch = batch.Latent.narrow(0, 1, 1);
        Assert.True(fromBatch.allclose(alone.Latent, rtol: 1e-4, atol: 1e-5), $"max |Δ| {(fromBatch - alone.Latent).abs().max().item<float>()}");
    }

    [Fact]
    public void Should_start_from_latent_avg_when_there_is_one_and_leave_the_generator_trainable()
    {
        using var g = TinyGenerator.Create();
        using var avg = randn(TinyGenerator.Config.NLatent, TinyGenerator.Config.StyleDim);
        var projection = new LatentProjection(g, avg, new ProjectionOptions { Steps = 2, PerceptualWeight = 0 }, null);
        using var start = projection.StartLatent(3, CPU);
        Assert.Equal(ProjectionStart.LatentAverage, projection.ResolvedStart);
        Assert.True(start.eq(avg.unsqueeze(0).expand(3, -1, -1)).all().item<bool>());

        using var images = TinyModelPack.Images(1, seed: 3);
        using (inference_mode())
        using (var r = projection.Project(images, NoiseSource.Stored))
            Assert.Equal(new long[] { 1, TinyGenerator.Config.NLatent, TinyGenerator.Config.StyleDim }, r.Latent.shape);
        Assert.All(g.parameters(), p => Assert.True(p.requires_grad));
        Assert.All(g.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
    }
}
