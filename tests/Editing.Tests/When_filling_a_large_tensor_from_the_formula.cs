using Pipeline.Editing.Parity;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests;

public class When_filling_a_large_tensor_from_the_formula
{
    [Fact]
    public void Should_write_the_same_values_as_the_whole_tensor_formula_across_chunk_boundaries()
    {
        var f = new FormulaConstants(0.37, 1.1, 0.5);
        var rule = new FormulaRule("plain_weight", 0.25, 0.5, Absolute: true);
        long[] shape = [3, (1 << 20) / 2 + 7];                              // spans more than one fill chunk
        using var target = zeros(shape);
        FormulaWeights.Fill([("w", target)], f, (_, _) => rule);
        using var expected = FormulaWeights.Tensor(f, 0, shape, rule);

        Assert.True(target.equal(expected).all().item<bool>());
    }
}
