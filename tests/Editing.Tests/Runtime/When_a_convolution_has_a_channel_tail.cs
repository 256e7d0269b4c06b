using Pipeline.Editing.Networks;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Pipeline.Editing.Tests.Runtime;

/// <summary>A 3×3 convolution over 513 channels, as the discriminator's last one (512 features and the
/// minibatch-stddev channel), agrees with the same sum in float64.</summary>
public sealed class When_a_convolution_has_a_channel_tail
{
    [Theory]
    [InlineData(513, 1)]
    [InlineData(513, 2)]
    [InlineData(40, 1)]
    public void Should_match_float64(int channels, int stride)
    {
        using var scope = NewDisposeScope();
        var random = new Generator(7);
        var x = randn([4, channels, 4, 4], generator: random);
        var weight = randn([512, channels, 3, 3], generator: random) / Math.Sqrt(channels * 9);
        var bias = randn([512], generator: random);
        var exact = F.conv2d(x.to(float64), weight.to(float64), bias.to(float64), strides: [stride, stride], padding: [1, 1]);

        var y = ChannelTailConv.Conv2d(x, weight, bias, stride, 1);

        var rel = (y.to(float64) - exact).abs().max().item<double>() / exact.abs().max().item<double>();
        Assert.True(rel < 1e-5, $"max |Δ| / max |y| = {rel:G3}");
    }
}
