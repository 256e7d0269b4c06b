using Pipeline.Editing.Networks;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Pipeline.Editing.Tests.Runtime;

/// <summary>3×3 convolutions whose input channels are not a multiple of oneDNN's channel block agree with the same sum in
/// float64, even right after a NaN-filled tensor was freed (a kernel that reads uninitialised padding lanes then
/// returns NaN): the discriminator's last one (512 features and the minibatch-stddev channel), the deghosting
/// network's RGB skip fusion (features and 3 RGB channels), and tails inside one AVX2 block; and so do the
/// gradients of convolutions whose output channels have a tail (an RGB or 4-channel output), and StyleGAN2's
/// upsampling transposed convolutions, whose forward pass reads its input as a gradient.</summary>
public sealed class When_a_convolution_has_a_channel_tail
{
    [Theory]
    [InlineData(513, 1)]
    [InlineData(513, 2)]
    [InlineData(40, 1)]
    [InlineData(51, 1)]
    [InlineData(12, 1)]
    [InlineData(8, 1)]
    public void Should_match_float64(int channels, int stride)
    {
        using var scope = NewDisposeScope();
        using (var freed = full([4, 1024, 1024], double.NaN)) freed.add_(0);
        var random = new Generator(7);
        var x = randn([4, channels, 4, 4], generator: random);
        var weight = randn([512, channels, 3, 3], generator: random) / Math.Sqrt(channels * 9);
        var bias = randn([512], generator: random);
        var exact = F.conv2d(x.to(float64), weight.to(float64), bias.to(float64), strides: [stride, stride], padding: [1, 1]);

        var y = ChannelTailConv.Conv2d(x, weight, bias, stride, 1);

        AssertExact(y, exact);
    }

    [Fact]
    public void Should_fill_the_tail_of_a_concatenation_in_its_own_copy()
    {
        using var scope = NewDisposeScope();
        var random = new Generator(13);
        var skip = randn([2, 3, 8, 8], generator: random);
        var feature = randn([2, 48, 8, 8], generator: random);
        var weight = randn([3, 51, 3, 3], generator: random) / Math.Sqrt(51 * 9);
        var bias = randn([3], generator: random);
        using (var freed = full([4, 1024, 1024], double.NaN)) freed.add_(0);

        var y = ChannelTailConv.Conv2dOfConcatenation([skip, feature], weight, bias, 1, 1);

        AssertExact(y, F.conv2d(cat([skip, feature], 1).to(float64), weight.to(float64), bias.to(float64), padding: [1, 1]));
    }

    [Theory]
    [InlineData(4, 3)]
    [InlineData(16, 4)]
    [InlineData(17, 20)]
    [InlineData(51, 3)]
    public void Should_pass_gradients_that_match_float64(int channels, int outChannels)
    {
        using var scope = NewDisposeScope();
        var random = new Generator(5);
        var x = randn([2, channels, 8, 8], generator: random);
        var weight = randn([outChannels, channels, 3, 3], generator: random);
        var upstream = randn([2, outChannels, 8, 8], generator: random);
        var (dx, dw) = Gradients(x, weight, upstream, (a, w) => ChannelTailConv.Conv2d(a, w, null, 1, 1));
        var (exactDx, exactDw) = Gradients(x.to(float64), weight.to(float64), upstream.to(float64),
            (a, w) => F.conv2d(a, w, padding: [1, 1]));

        AssertExact(dx, exactDx);
        AssertExact(dw, exactDw);
    }

    static (Tensor Dx, Tensor Dw) Gradients(Tensor x, Tensor weight, Tensor upstream, Func<Tensor, Tensor, Tensor> conv)
    {
        var a = x.clone().requires_grad_(true);
        var w = weight.clone().requires_grad_(true);
        var y = conv(a, w);
        using (var freed = full([4, 1024, 1024], double.NaN)) freed.add_(0);
        (y * upstream).sum().backward();
        return (a.grad!, w.grad!);
    }

    [Theory]
    [InlineData(3, 16)]
    [InlineData(40, 20)]
    public void Should_upsample_by_a_transposed_convolution_as_float64_does(int channels, int outChannels)
    {
        using var scope = NewDisposeScope();
        var random = new Generator(9);
        var x = randn([2, channels, 6, 6], generator: random);
        var weight = randn([channels, outChannels, 3, 3], generator: random);
        var upstream = randn([2, outChannels, 13, 13], generator: random);
        using (var freed = full([4, 1024, 1024], double.NaN)) freed.add_(0);
        AssertExact(ChannelTailConv.ConvTranspose2d(x, weight, 2), F.conv_transpose2d(x.to(float64), weight.to(float64), strides: [2, 2]));

        var (dx, dw) = Gradients(x, weight, upstream, (a, w) => ChannelTailConv.ConvTranspose2d(a, w, 2));
        var (exactDx, exactDw) = Gradients(x.to(float64), weight.to(float64), upstream.to(float64),
            (a, w) => F.conv_transpose2d(a, w, strides: [2, 2]));
        AssertExact(dx, exactDx);
        AssertExact(dw, exactDw);
    }

    [Fact]
    public void Should_keep_the_weight_and_bias_keys_and_the_initialisation_of_nn_Conv2d()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var plain = nn.Conv2d(51, 3, 3, padding: 1);
        manual_seed(11);
        using var safe = new TailSafeConv2d(51, 3, 3, padding: 1);
        Assert.Equal(plain.state_dict().Keys.Order(), safe.state_dict().Keys.Order());
        Assert.True(plain.weight!.allclose(safe.Weight, 0, 0) && plain.bias!.allclose(safe.Bias!, 0, 0));

        var x = randn([2, 51, 9, 9], generator: new Generator(3));
        AssertExact(safe.call(x), F.conv2d(x.to(float64), safe.Weight.to(float64), safe.Bias!.to(float64), padding: [1, 1]));
    }

    static void AssertExact(Tensor y, Tensor exact)
    {
        var rel = (y.to(float64) - exact).abs().max().item<double>() / exact.abs().max().item<double>();
        Assert.True(rel < 1e-5, $"max |Δ| / max |y| = {rel:G3}");
    }
}
