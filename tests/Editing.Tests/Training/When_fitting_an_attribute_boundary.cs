using Pipeline.Editing.Training;
using Xunit;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Training;

public class When_fitting_an_attribute_boundary
{
    [Fact]
    public void Should_recover_a_planted_linear_direction()
    {
        manual_seed(11);
        const int n = 1500, d = 48;
        // Anisotropic latents (as real W+ codes are) so that a naive mean difference would miss the boundary.
        using var scales = linspace(0.2, 3.0, d);
        using var latents = randn(n, d) * scales + 0.5;
        using var planted0 = randn(d);
        using var planted = planted0 / planted0.norm();
        using var labels = (latents.matmul(planted) - 0.5 * planted.sum() + 0.05 * randn(n)).gt(0).to_type(ScalarType.Float32);

        using var boundary = LinearBoundary.Fit(latents, labels, new LinearBoundary.Options { Iterations = 400 });
        double cosine = boundary.Normal.dot(planted).item<float>();
        Assert.True(cosine > 0.95, $"cosine with the planted normal {cosine:0.000}");
        Assert.True(boundary.TrainAccuracy > 0.95);
        Assert.Equal(1.0, boundary.Normal.norm().item<float>(), 4);
    }

    [Fact]
    public void Should_calibrate_to_the_smallest_strength_that_flips_enough()
    {
        var chosen = DirectionCalibration.Choose(new[] { (1.0, 0.3), (2.0, 0.92), (3.0, 0.99) });
        Assert.Equal(2.0, chosen.Strength);
        var best = DirectionCalibration.Choose(new[] { (1.0, 0.3), (2.0, 0.6), (3.0, 0.5) });
        Assert.Equal(2.0, best.Strength);
    }
}
