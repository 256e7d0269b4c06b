using Pipeline.Editing.Networks.StyleGan2;
using Pipeline.Editing.Networks.Vgg;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Method;

/// <summary>A seeded 32² StyleGAN2 (the tiny pack's layout) and a seeded random VGG for projection tests.</summary>
public static class TinyGenerator
{
    public static readonly StyleGan2Config Config = new(32, 64, 2, 1) { Channels = new Dictionary<int, int> { [4] = 32, [8] = 32, [16] = 16, [32] = 16 } };

    public static StyleGan2Generator Create(long seed = 3)
    {
        manual_seed(seed);
        var g = new StyleGan2Generator(Config);
        g.eval();
        return g;
    }

    /// <summary>VGG16 up to conv4_3 with torch's default init: its features still respond to image structure.</summary>
    public static PerceptualLoss RandomVgg(long seed = 4)
    {
        manual_seed(seed);
        var loss = new PerceptualLoss(PerceptualLossConfig.Official with { PerceptualWeight = 1 });
        loss.eval();
        return loss;
    }

    /// <summary>Images the generator itself makes: W codes from seeded z, pushed off the mean so they differ from the start.</summary>
    public static Tensor Generated(StyleGan2Generator g, int batch, long seed)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        manual_seed(seed);
        var w = g.Map(randn(batch, Config.StyleDim));
        var latent = w.unsqueeze(1).expand(-1, Config.NLatent, -1).contiguous();
        return g.Synthesize(latent, g.NoiseFor(NoiseSource.Stored, batch, CPU)).MoveToOuterDisposeScope();
    }
}
