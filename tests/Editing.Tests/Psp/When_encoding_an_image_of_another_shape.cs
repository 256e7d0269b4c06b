using Pipeline.Editing.Networks.Psp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Psp;

public class When_encoding_an_image_of_another_shape
{
    static readonly PspConfig Small = new(InputSize: 32, OutputSize: 16, CoarseStyles: 2, MiddleStylesEnd: 4);

    [Theory]
    [InlineData(3, 64)]
    [InlineData(4, 32)]
    public void Should_refuse_it_naming_the_expected_shape(long channels, long size)
    {
        using var encoder = new GradualStyleEncoder(Small);
        using var x = zeros(1, channels, size, size);
        var e = Assert.Throws<ArgumentException>(() => encoder.Encode(x));
        Assert.Contains($"[B,{Small.InputChannels},{Small.InputSize},{Small.InputSize}]", e.Message);
    }

    [Fact]
    public void Should_give_one_code_row_per_style_for_the_configured_shape()
    {
        using var encoder = new GradualStyleEncoder(Small);
        encoder.eval();
        using var _ = inference_mode();
        using var x = randn(3, Small.InputChannels, Small.InputSize, Small.InputSize);
        using var features = encoder.Encode(x);
        Assert.Equal([3L, Small.NStyles, Small.StyleDim], features.Codes.shape);
        Assert.Equal([3L, 512, Small.InputSize / 8, Small.InputSize / 8], features.P2.shape);
        Assert.Equal([3L, 512, Small.InputSize / 4, Small.InputSize / 4], features.P1.shape);
    }
}
