namespace Pipeline.Editing.Training;

/// <summary>
/// Chooses a direction's unit strength: the smallest candidate at which a +1 edit (toward the flipped state) flips the
/// attribute on at least <see cref="TargetSuccess"/> of the calibration images, else the candidate that flips the most.
/// </summary>
public static class DirectionCalibration
{
    public const double TargetSuccess = 0.9;

    /// <summary>Multiples of the latents' spread along the direction (standard deviation of the projections). A unit
    /// edit moves at least one spread, about the distance between the two classes' means: smaller steps "flip" only the
    /// scenes whose inversion the classifier already misreads, and would pick a no-op as the unit.</summary>
    public static readonly double[] SpreadMultiples = { 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 };

    /// <summary>
    /// The unit strength of a direction fitted from labels alone, with nothing to judge an edit by: the distance between
    /// the two classes' mean latents along the unit direction (mean projection of label 1 minus that of label 0), so
    /// that <c>name=+1</c> moves a latent by what separates the classes on average. On the demo prior's exact codes
    /// this is the factor map column's length, the unit <c>pipeline train directions</c> writes.
    /// </summary>
    /// <param name="latents">[N,D]</param><param name="direction">[D], unit norm</param>
    public static double ClassMeanDistance(TorchSharp.torch.Tensor latents, IReadOnlyList<bool> labels, TorchSharp.torch.Tensor direction)
    {
        if (latents.dim() != 2 || direction.dim() != 1 || latents.shape[1] != direction.shape[0] || latents.shape[0] != labels.Count)
            throw new ArgumentException($"class-mean distance needs latents [N,D], {latents.shape[0]} labels and a direction [D]");
        using var projections = latents.to_type(TorchSharp.torch.ScalarType.Float64).matmul(direction.to_type(TorchSharp.torch.ScalarType.Float64));
        var p = projections.data<double>().ToArray();
        var on = Enumerable.Range(0, p.Length).Where(i => labels[i]).Select(i => p[i]).ToList();
        var off = Enumerable.Range(0, p.Length).Where(i => !labels[i]).Select(i => p[i]).ToList();
        if (on.Count == 0 || off.Count == 0) throw new ArgumentException($"class-mean distance needs both labels (label 1: {on.Count}, label 0: {off.Count})");
        return on.Average() - off.Average();
    }

    public static (double Strength, double Success) Choose(IReadOnlyList<(double Strength, double Success)> measured)
    {
        if (measured.Count == 0) throw new ArgumentException("no calibration measurements");
        foreach (var m in measured.OrderBy(m => m.Strength))
            if (m.Success >= TargetSuccess) return m;
        return measured.OrderByDescending(m => m.Success).ThenBy(m => m.Strength).First();
    }
}
