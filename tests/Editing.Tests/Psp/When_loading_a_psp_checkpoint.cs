using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Networks.StyleGan2;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Psp;

public class When_loading_a_psp_checkpoint
{
    /// <summary>A reduced pSp (32² input, 16² decoder, 6 W+ rows) with every code path of the official one.</summary>
    static readonly PspConfig Small = new(InputSize: 32, OutputSize: 16, CoarseStyles: 2, MiddleStylesEnd: 4);

    static readonly PspRunOptions Deterministic = new() { Noise = NoiseSource.Stored, Resize = false };

    static StateDict CheckpointOf(Networks.Psp.Psp psp)
    {
        var sd = new StateDict();
        foreach (var (name, t) in ModuleState.OfficialOrder(psp)) sd.Add(name, t.detach().clone());
        return sd;
    }

    [Fact]
    public void Should_reproduce_the_saved_network_inversion_with_latent_avg()
    {
        using var source = new Networks.Psp.Psp(Small);
        using var latentAvg = randn(Small.NStyles, Small.StyleDim);
        source.SetLatentAvg(latentAvg);
        using var checkpoint = CheckpointOf(source);
        using var target = new Networks.Psp.Psp(Small);
        var log = new List<string>();
        PspWeights.Load(target, checkpoint, latentAvg, log: log.Add);
        source.eval();
        target.eval();

        using var _ = inference_mode();
        using var x = randn(2, Small.InputChannels, Small.InputSize, Small.InputSize);
        using var expected = source.Invert(x, Deterministic);
        using var actual = target.Invert(x, Deterministic);
        Assert.Equal([2L, 3, Small.OutputSize, Small.OutputSize], actual.Image.shape);
        Assert.Equal([2L, Small.NStyles, Small.StyleDim], actual.Latent.shape);
        Assert.True(actual.Image.equal(expected.Image).all().item<bool>());
        using var codes = target.Encoder.call(x);
        Assert.True(actual.Latent.allclose(codes + latentAvg), "the latent must be the codes offset by latent_avg");
        Assert.Contains(log, l => l.Contains("decoder") && l.Contains("strictly"));
    }

    [Fact]
    public void Should_refuse_a_checkpoint_without_latent_avg_when_the_codes_start_from_it()
    {
        using var source = new Networks.Psp.Psp(Small);
        using var checkpoint = CheckpointOf(source);
        using var target = new Networks.Psp.Psp(Small);
        var e = Assert.Throws<ArgumentException>(() => PspWeights.Load(target, checkpoint, latentAvg: null));
        Assert.Contains("latent_avg", e.Message);
    }

    [Fact]
    public void Should_pool_the_decoder_output_to_the_face_pool_size_by_default()
    {
        using var psp = new Networks.Psp.Psp(Small with { FacePoolSize = 8 });
        using var latentAvg = zeros(Small.NStyles, Small.StyleDim);
        psp.SetLatentAvg(latentAvg);
        psp.eval();
        using var _ = inference_mode();
        using var x = randn(1, Small.InputChannels, Small.InputSize, Small.InputSize);
        using var full = psp.Invert(x, Deterministic);
        using var pooled = psp.Invert(x, Deterministic with { Resize = true });
        Assert.Equal([1L, 3, 8, 8], pooled.Image.shape);
        using var blockMean = nn.functional.avg_pool2d(full.Image, 2);
        Assert.True(pooled.Image.allclose(blockMean, rtol: 1e-5, atol: 1e-6));
    }
}
