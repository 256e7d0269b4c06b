using Pipeline.Editing.Networks.StyleGan2;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.StyleGan2;

public class When_modulating_convolutions_per_sample
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Should_give_each_sample_of_a_batch_what_it_gets_alone(bool upsample)
    {
        using var conv = new ModulatedConv2d(6, 5, 3, 8, upsample: upsample);
        using var _ = no_grad();
        using var x = randn(3, 6, 7, 7);
        using var style = randn(3, 8);
        using var batched = conv.call(x, style);
        Assert.Equal(upsample ? 14 : 7, batched.shape[2]);
        for (int i = 0; i < 3; i++)
        {
            using var alone = conv.call(x.narrow(0, i, 1), style.narrow(0, i, 1));
            Assert.True((batched.narrow(0, i, 1) - alone).abs().max().item<float>() < 1e-5f, $"sample {i} differs");
        }
    }

    [Fact]
    public void Should_demodulate_every_output_filter_to_unit_norm()
    {
        // With demodulation a pixel-constant 1×1 input of unit norm per filter gives outputs of the filter's norm: 1.
        using var conv = new ModulatedConv2d(4, 3, 1, 8);
        using var _ = no_grad();
        using var style = randn(2, 8);
        var s = conv.Modulation.call(style);                                          // [2,4]
        var w = conv.Weight.squeeze(0).squeeze(-1).squeeze(-1) / Math.Sqrt(4);      // [3,4]
        var modulated = w.unsqueeze(0) * s.unsqueeze(1);                              // [2,3,4]
        var demodulated = modulated / (modulated.square().sum(2, keepdim: true) + ModulatedConv2d.DemodulationEpsilon).sqrt();
        using var x = eye(4).reshape(4, 4, 1, 1);                                    // one-hot inputs select the weight columns
        for (int b = 0; b < 2; b++)
        {
            using var y = conv.call(x, style.narrow(0, b, 1).expand(4, 8));          // [4,3,1,1]: y[i,o] = W'[o,i]
            var expected = demodulated[b].t();                                        // [4,3]
            Assert.True((y.reshape(4, 3) - expected).abs().max().item<float>() < 1e-5f);
        }
    }
}
