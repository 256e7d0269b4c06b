using Pipeline.Editing.Networks.StyleGan2;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.StyleGan2;

public class When_choosing_the_generator_noise
{
    static (StyleGan2Generator G, Tensor W) Build()
    {
        var g = new StyleGan2Generator(SmallGenerator.Config);
        g.eval();
        using (no_grad())
            foreach (var c in new[] { g.Conv1 }.Concat(Enumerable.Range(0, 2 * g.Config.Stages).Select(g.Conv)))
                c.Noise.Weight.fill_(0.5);   // the constructor's zero strength would hide the noise
        return (g, randn(2, g.Config.StyleDim));
    }

    static Tensor Image(StyleGan2Generator g, Tensor w, NoiseSource noise)
    {
        using var _ = no_grad();
        using var output = g.Generate(w, new GenerateOptions { InputIsLatent = true, Noise = noise });
        return output.Image.clone();
    }

    [Fact]
    public void Should_give_the_same_image_twice_with_the_stored_buffers()
    {
        var (g, w) = Build();
        using var a = Image(g, w, NoiseSource.Stored);
        using var b = Image(g, w, NoiseSource.Stored);
        Assert.True(a.equal(b).all().item<bool>());
        g.Dispose();
    }

    [Fact]
    public void Should_give_the_same_image_for_the_same_seed_and_another_for_another_seed()
    {
        var (g, w) = Build();
        using var a = Image(g, w, NoiseSource.Seeded(7));
        using var b = Image(g, w, NoiseSource.Seeded(7));
        using var c = Image(g, w, NoiseSource.Seeded(8));
        Assert.True(a.equal(b).all().item<bool>());
        Assert.True((a - c).abs().max().item<float>() > 1e-4f);
        g.Dispose();
    }

    [Fact]
    public void Should_draw_new_noise_on_every_call_when_asked_for_fresh_noise()
    {
        var (g, w) = Build();
        using var a = Image(g, w, NoiseSource.Fresh);
        using var b = Image(g, w, NoiseSource.Fresh);
        Assert.True((a - b).abs().max().item<float>() > 1e-4f);
        g.Dispose();
    }

    [Fact]
    public void Should_use_explicit_maps_exactly_like_buffers_holding_them()
    {
        var (g, w) = Build();
        var maps = Enumerable.Range(0, g.Config.NumLayers).Select(j => g.Noises[j].clone()).ToList();
        using var stored = Image(g, w, NoiseSource.Stored);
        using var explicitMaps = Image(g, w, NoiseSource.Explicit(maps));
        Assert.True(stored.equal(explicitMaps).all().item<bool>());
        var e = Assert.Throws<ArgumentException>(() => Image(g, w, NoiseSource.Explicit(maps.Take(2).ToList())));
        Assert.Contains("noise", e.Message);
        foreach (var m in maps) m.Dispose();
        g.Dispose();
    }

    [Fact]
    public void Should_give_the_same_image_with_autograd_recording_as_in_inference()
    {
        // Inference overwrites intermediates in place; with autograd on, the out-of-place path must give the same values,
        // up to summation order: recorded, the RGB convolutions get zero filters up to 16 outputs (ChannelTailConv), and
        // oneDNN's channels-last kernels block that differently (4.8e-6 measured).
        var (g, w) = Build();
        using var inference = Image(g, w, NoiseSource.Stored);
        using var latent = w.unsqueeze(1).repeat(1, g.Config.NLatent, 1).requires_grad_(true);
        using var recorded = g.Synthesize(latent, g.NoiseFor(NoiseSource.Stored, 2, latent.device));
        Assert.True(recorded.requires_grad);
        var gap = (recorded.detach() - inference).abs().max().item<float>();
        Assert.True(gap < 2e-5f, $"max |recorded − inference| = {gap:G3}");
        using var sum = recorded.sum();
        sum.backward();
        Assert.NotNull(latent.grad);
        g.Dispose();
    }

    [Fact]
    public void Should_differ_between_rosinality_and_mmgen_numerics_only_by_rounding()
    {
        var (rosinality, z) = Build();
        using var mmgen = new StyleGan2Generator(SmallGenerator.Config with { EqualizedLr = EqualizedLrMode.MmgenFloat32 });
        mmgen.eval();
        using (no_grad())
            foreach (var ((_, a), (_, b)) in Pipeline.Editing.Checkpoints.ModuleState.OfficialOrder(rosinality)
                         .Zip(Pipeline.Editing.Checkpoints.ModuleState.OfficialOrder(mmgen)))
                b.copy_(a);
        using var _ = no_grad();
        using var r = rosinality.Generate(z);   // from z: the mapping network's PixelNorm and lr_mul differ most
        using var m = mmgen.Generate(z);
        double scale = r.Image.abs().max().item<float>();
        Assert.True((r.Image - m.Image).abs().max().item<float>() < 1e-4 * scale);
        rosinality.Dispose();
    }
}
