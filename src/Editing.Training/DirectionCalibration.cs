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

    public static (double Strength, double Success) Choose(IReadOnlyList<(double Strength, double Success)> measured)
    {
        if (measured.Count == 0) throw new ArgumentException("no calibration measurements");
        foreach (var m in measured.OrderBy(m => m.Strength))
            if (m.Success >= TargetSuccess) return m;
        return measured.OrderByDescending(m => m.Success).ThenBy(m => m.Strength).First();
    }
}
