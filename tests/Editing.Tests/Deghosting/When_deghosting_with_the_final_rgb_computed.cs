using Pipeline.Editing.Networks.Deghosting;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Deghosting;

/// <summary>The skipped final RGB is an optimisation only if the reference's discarded image never reaches the output.</summary>
public class When_deghosting_with_the_final_rgb_computed
{
    [Fact]
    public void Should_give_exactly_the_output_of_the_pass_that_skips_it()
    {
        manual_seed(12);
        var genChannels = new Dictionary<int, int> { [4] = 32, [8] = 32, [16] = 16, [32] = 16 };
        using var net = new DeghostNetwork(new DeghostingConfig
        {
            InSize = 8, OutSize = 32, StyleChannels = 64, NumBlocks = 1, NumMid = 8, NumGrow = 4, DecoderTailChannels = 8, Channels = genChannels,
        });
        net.eval();
        using var lq = rand(2, 3, 8, 8) * 2 - 1;
        using var _ = inference_mode();

        var skipped = net.Deghost(lq);
        var computed = net.Deghost(lq, computeFinalRgb: true);

        Assert.True(skipped.Output.eq(computed.Output).all().item<bool>());
    }
}
