using Pipeline.Editing.Networks.Deghosting;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Deghosting;

public class When_deghosting_a_small_configuration
{
    [Fact]
    public void Should_restore_to_the_output_size_without_nan()
    {
        var config = DeghostingConfig.Official with { InSize = 16, OutSize = 64, NumBlocks = 2 };
        using var model = new DeghostNetwork(config);
        model.eval();
        using var _ = inference_mode();
        using var lq = rand(2, 3, 16, 16) * 2 - 1;
        using var result = model.call(lq);

        Assert.Equal(new long[] { 2, 3, 64, 64 }, result.shape);
        Assert.False(result.isnan().any().item<bool>());
    }

    [Fact]
    public void Should_refuse_an_input_of_the_wrong_size_naming_the_expected_shape()
    {
        using var model = new DeghostNetwork(DeghostingConfig.Official with { InSize = 16, OutSize = 64, NumBlocks = 1 });
        using var lq = zeros(1, 3, 32, 32);
        var e = Assert.Throws<ArgumentException>(() => model.call(lq));
        Assert.Contains("[B,3,16,16]", e.Message);
    }

    [Theory]
    [InlineData(32, 16)]
    [InlineData(24, 64)]
    [InlineData(16, 2048)]
    public void Should_reject_a_configuration_it_cannot_build(int inSize, int outSize)
    {
        Assert.Throws<ArgumentException>(() => (DeghostingConfig.Official with { InSize = inSize, OutSize = outSize }).Validate());
    }
}
