using Pipeline.Editing.Training;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Directions;

public class When_fitting_principal_components
{
    /// <summary>Codes [N,rows,D]: isotropic noise of σ 0.1 plus σ 3 along <paramref name="axis"/> on rows 2..3 only.</summary>
    static Tensor PlantedCodes(Tensor axis, int n = 2000, int rows = 5, int width = 6)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(4);
        var codes = randn(new long[] { n, rows, width }, dtype: ScalarType.Float64, generator: g) * 0.1;
        var t = randn(new long[] { n, 1 }, dtype: ScalarType.Float64, generator: g) * 3.0;
        var planted = (t * axis.reshape(1, -1)).reshape(n, 2, width);
        codes.narrow(1, 2, 2).add_(planted);
        return codes.MoveToOuterDisposeScope();
    }

    static Tensor UnitAxis()
    {
        using var g = new Generator(9);
        var a = randn(new long[] { 12 }, dtype: ScalarType.Float64, generator: g);
        return a / a.norm();
    }

    [Fact]
    public void Should_recover_a_planted_principal_axis_with_its_variance()
    {
        using var axis = UnitAxis();
        using var codes = PlantedCodes(axis);
        using var samples = codes.narrow(1, 2, 2).reshape(codes.shape[0], -1);
        using var pca = PrincipalComponents.Fit(samples, 3);
        double cos = Math.Abs(pca.Components[0].dot(axis).item<double>());
        Assert.True(cos > 0.999, $"first component |cos| with the planted axis {cos}");
        Assert.InRange(pca.Variance[0], 8.0, 10.0);                   // 9 (σ 3) + 0.01 of noise, sampled
        Assert.InRange(pca.Variance[1], 0.005, 0.02);                 // the noise's 0.01
        Assert.True(pca.Ratio[0] > 0.95, $"explained variance ratio {pca.Ratio[0]}");
        Assert.InRange(pca.Components.norm(1).min().item<double>(), 1 - 1e-9, 1 + 1e-9);
    }

    [Fact]
    public void Should_apply_a_component_of_a_layer_range_to_those_rows_only()
    {
        using var axis = UnitAxis();
        using var codes = PlantedCodes(axis);
        var layers = LayerRange.Parse("2-3", 5);
        var components = ComponentDirections.Fit(codes, layers, 2);
        try
        {
            var first = components[0];
            Assert.Equal("pc0_rows2-3", first.Name);
            Assert.Equal(new long[] { 5, 6 }, first.Direction.shape);
            Assert.Equal(0, first.Direction.narrow(0, 0, 2).abs().max().item<double>());
            Assert.Equal(0, first.Direction.narrow(0, 4, 1).abs().max().item<double>());
            Assert.InRange(first.Direction.norm().item<double>(), 1 - 1e-9, 1 + 1e-9);
            double cos = Math.Abs(first.Direction.narrow(0, 2, 2).flatten().dot(axis).item<double>());
            Assert.True(cos > 0.999, $"the rows 2-3 of the direction hold the planted axis (|cos| {cos})");
            Assert.InRange(first.Sigma, 2.8, 3.2);
        }
        finally
        {
            foreach (var c in components) c.Dispose();
        }
    }

    [Theory]
    [InlineData("3-1")]
    [InlineData("0-5")]
    [InlineData("a-b")]
    [InlineData("2")]
    public void Should_refuse_a_layer_range_outside_the_code_naming_it(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => LayerRange.Parse(text, 5));
        Assert.Contains(text, e.Message);
    }
}
