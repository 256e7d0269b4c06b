using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.Psp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Psp;

public class When_loading_a_psp_encoder_checkpoint
{
    /// <summary>A reduced configuration with every code path of the official one (all four stages, all three head groups).</summary>
    static readonly PspConfig Small = new(InputSize: 32, OutputSize: 16, CoarseStyles: 2, MiddleStylesEnd: 4);

    static StateDict CheckpointOf(GradualStyleEncoder encoder)
    {
        var sd = new StateDict();
        foreach (var (name, t) in ModuleState.OfficialOrder(encoder, PspWeights.EncoderPrefix)) sd.Add(name, t.detach().clone());
        sd.Add(PspWeights.DecoderPrefix + "input.input", zeros(1));
        return sd;
    }

    static bool SameState(GradualStyleEncoder a, GradualStyleEncoder b, string? except = null) =>
        ModuleState.OfficialOrder(a).Zip(ModuleState.OfficialOrder(b))
            .Where(p => p.First.Name != except)
            .All(p => p.First.Tensor.equal(p.Second.Tensor).all().item<bool>());

    [Fact]
    public void Should_load_every_encoder_tensor_strictly_and_ignore_the_decoder_part()
    {
        using var source = new GradualStyleEncoder(Small);
        using var target = new GradualStyleEncoder(Small);
        using var checkpoint = CheckpointOf(source);
        var log = new List<string>();
        PspWeights.LoadEncoder(target, checkpoint, PspLoadOptions.Strict, log.Add);
        Assert.True(SameState(source, target));
        Assert.DoesNotContain(log, l => l.Contains("FALLBACK"));
    }

    [Fact]
    public void Should_refuse_a_checkpoint_for_other_input_channels_unless_the_fallback_is_asked_for()
    {
        using var source = new GradualStyleEncoder(Small with { InputChannels = 6 });
        using var target = new GradualStyleEncoder(Small);
        using var checkpoint = CheckpointOf(source);

        var e = Assert.Throws<StateDictMismatchException>(() => PspWeights.LoadEncoder(target, checkpoint, PspLoadOptions.Strict, _ => { }));
        Assert.Contains(e.MisShaped, m => m.StartsWith(PspWeights.InputLayerWeight, StringComparison.Ordinal));

        var log = new List<string>();
        PspWeights.LoadEncoder(target, checkpoint, new PspLoadOptions { AllowInputLayerFallback = true }, log.Add);
        Assert.True(SameState(source, target, except: PspWeights.InputLayerWeight));
        Assert.Contains(log, l => l.Contains("FALLBACK") && l.Contains(PspWeights.InputLayerWeight));
    }
}
