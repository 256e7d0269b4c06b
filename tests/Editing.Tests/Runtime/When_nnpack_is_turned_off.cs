using Pipeline.Editing.Runtime;
using Xunit;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Pipeline.Editing.Tests.Runtime;

/// <summary>Every process that runs the networks turns NNPACK off (<see cref="Nnpack"/>); the switch must really reach
/// libtorch, and the small convolutions that would have asked for NNPACK must still compute the same sums.</summary>
public class When_nnpack_is_turned_off
{
    [Fact]
    public void Should_reach_libtorchs_switch()
    {
        Assert.True(Nnpack.TurnOff(), "libtorch_cpu should export at::Context::setUserEnabledNNPACK");
        Assert.False(Nnpack.IsOn());
    }

    [Fact]
    public void Should_compute_a_small_convolution_as_a_matrix_product_does()
    {
        Nnpack.TurnOff();
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        // The generator's 4×4 start: batch 1 and 8,192 values, one of the convolutions oneDNN declines.
        var x = randn([1, 512, 4, 4], generator: generator);
        var weight = randn([512, 512, 3, 3], generator: generator) / 48;

        var convolved = F.conv2d(x, weight, padding: [1, 1]);
        var patches = F.unfold(x, 3, padding: 1);                      // [1, 512·9, 16]
        var product = weight.reshape(512, -1).matmul(patches).reshape(1, 512, 4, 4);

        Assert.True(convolved.allclose(product, rtol: 1e-4, atol: 1e-4),
            $"largest difference {(convolved - product).abs().max().item<float>()}");
    }
}
