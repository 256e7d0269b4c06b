using Pipeline.Editing.Training;
using Xunit;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Training;

/// <summary>
/// Codes made as the demo prior makes them, w = A·f + b (plus noise), with one binary factor whose column is known: the
/// fit from the factor's labels must find that column and the distance it moves the classes apart.
/// </summary>
public class When_fitting_a_direction_from_labels
{
    const int N = 400, Rows = 4, Dim = 16, Factors = 6;

    static (Tensor Codes, bool[] Labels, Tensor Column) Planted(long seed)
    {
        manual_seed(seed);
        var a = randn(Rows * Dim, Factors);
        var f = randn(N, Factors);
        var on = rand(N).lt(0.3);
        f[.., 0] = on.to_type(ScalarType.Float32);
        var codes = (f.matmul(a.t()) + 0.3 * randn(N, Rows * Dim) + 1.0).reshape(N, Rows, Dim);
        return (codes, on.data<bool>().ToArray(), a[.., 0].clone());
    }

    [Fact]
    public void Should_recover_the_planted_column_and_score_well_above_chance_on_held_out_codes()
    {
        var (codes, labels, column) = Planted(3);
        using var fit = DirectionFit.Fit(codes, labels, LatentSpace.WPlus, BoundaryVector.Normal, holdout: 0.25, seed: 1);

        Assert.Equal(new long[] { Rows, Dim }, fit.Direction.shape);
        Assert.Equal(1.0, fit.Direction.norm().item<double>(), 6);
        double cosine = fit.Direction.flatten().to_type(ScalarType.Float32).dot(column).item<float>() / column.norm().item<float>();
        Assert.True(cosine > 0.8, $"cosine with the planted column {cosine:0.000}");
        int positives = labels.Count(l => l), chance = Math.Max(positives, N - positives);
        Assert.True(fit.HeldOutAccuracy > (double)chance / N + 0.15, $"held-out accuracy {fit.HeldOutAccuracy:0.000}, majority class {(double)chance / N:0.000}");
        Assert.Equal(100, fit.HeldOutCount);
        // Along the found direction the classes sit about one column length apart: the unit strength.
        double length = column.norm().item<float>();
        Assert.InRange(fit.UnitStrength, 0.8 * cosine * length, 1.2 * length);
    }

    [Fact]
    public void Should_fit_in_W_as_a_single_row_and_hold_out_a_share_of_each_class()
    {
        var (codes, labels, _) = Planted(4);
        using var fit = DirectionFit.Fit(codes, labels, LatentSpace.W, BoundaryVector.Spread, holdout: 0.2, seed: 2);
        Assert.Equal(new long[] { 1, Dim }, fit.Direction.shape);

        var held = DirectionFit.HeldOut(labels, 0.2, seed: 2);
        int on = labels.Count(l => l);
        Assert.Equal((int)Math.Round(0.2 * on), held.Count(i => labels[i]));
        Assert.Equal((int)Math.Round(0.2 * (N - on)), held.Count(i => !labels[i]));
        Assert.Equal(held, DirectionFit.HeldOut(labels, 0.2, seed: 2));
        Assert.Throws<ArgumentException>(() => DirectionFit.HeldOut(labels, 1.0, seed: 2));
    }
}
