using Pipeline.Editing.Networks.Deghosting;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Deghosting;

public class When_deghosting_at_the_input_size
{
    static DeghostingConfig Config => DeghostingConfig.Official with
    {
        InSize = 32, OutSize = 32, StyleChannels = 16, NumBlocks = 1, NumMid = 8, NumGrow = 4, DecoderTailChannels = 8,
        Channels = new Dictionary<int, int> { [4] = 16, [8] = 16, [16] = 16, [32] = 8 },
    };

    [Fact]
    public void Should_restore_at_the_same_size()
    {
        using var model = new DeghostNetwork(Config);
        model.eval();
        using var _ = inference_mode();
        using var lq = rand(2, 3, 32, 32) * 2 - 1;
        using var result = model.call(lq);

        Assert.Equal(new long[] { 2, 3, 32, 32 }, result.shape);
        Assert.False(result.isnan().any().item<bool>());
    }

    [Fact]
    public void Should_return_the_input_where_the_decoder_adds_no_correction()
    {
        using var model = new DeghostNetwork(Config);
        model.eval();
        using var _ = inference_mode();
        // The decoder's last conv (RGB) zeroed: its correction vanishes, so the input must come back unchanged.
        var last = model.Fcn.named_parameters().Where(p => p.name.StartsWith("decoder.0.", StringComparison.Ordinal)).TakeLast(2).ToList();
        Assert.Equal(new[] { "decoder.0.2.weight", "decoder.0.2.bias" }, last.Select(p => p.name).ToArray());
        foreach (var (_, p) in last) p.zero_();
        using var lq = rand(2, 3, 32, 32) * 2 - 1;
        using var result = model.call(lq);

        Assert.True(result.allclose(lq, 0, 1e-6), $"max difference {(result - lq).abs().max().item<float>()}");
    }

    [Fact]
    public void Should_train_every_fcn_parameter_that_reaches_the_output()
    {
        manual_seed(2);
        using var model = new DeghostNetwork(Config);
        using var lq = rand(1, 3, 32, 32) * 2 - 1;
        using var loss = model.call(lq).pow(2).mean();
        loss.backward();

        // The skip fusions feed only the generator's RGB, which the reference discards (as at 8×), so they get none.
        var unused = model.Fcn.named_parameters().Where(p => !p.name.StartsWith("fusion_skip.", StringComparison.Ordinal))
            .Where(p => p.parameter.grad is null || p.parameter.grad.abs().sum().item<float>() == 0)
            .Select(p => p.name).ToList();
        Assert.True(unused.Count == 0, $"parameters without gradient: {string.Join(", ", unused)}");
    }

    [Fact]
    public void Should_let_the_generator_shape_the_output()
    {
        manual_seed(3);
        using var model = new DeghostNetwork(Config);
        model.eval();
        using var _ = inference_mode();
        using var lq = rand(1, 3, 32, 32) * 2 - 1;
        using var before = model.call(lq);
        foreach (var p in model.Generator.parameters()) p.mul_(1.5);
        using var after = model.call(lq);

        Assert.True((after - before).abs().max().item<float>() > 1e-4, "the output ignores the generator's output-size feature");
    }
}
