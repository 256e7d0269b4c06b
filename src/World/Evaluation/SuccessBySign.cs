namespace Pipeline.World.Evaluation;

/// <summary>
/// Edit success of the scenes edited one way: <c>add</c> turns the attribute on (the scenes where it is off, strength
/// +1), <c>remove</c> turns it off (−1). An edit can be easy one way and hard the other, and the attribute's
/// <c>edit_success</c> mixes the two in the proportion the world draws them, so the split says which way an edit is
/// lost, and where: in T, the coarse blend or the final.
/// </summary>
public sealed record SuccessBySign(int Count, double EditSuccess, double EditSuccessEditedInversion, double EditSuccessCoarse, double EditSuccessTrue)
{
    /// <summary>The signs, keyed as in the JSON: +1 then −1.</summary>
    public static readonly string[] Signs = { "add", "remove" };

    /// <summary>The judged images, keyed as the attribute's scores.</summary>
    public static readonly string[] SuccessKeys = { "edit_success", "edit_success_edited_inversion", "edit_success_coarse", "edit_success_true" };

    public static string SignOf(int sign) => sign > 0 ? Signs[0] : Signs[1];

    public double[] Values => new[] { EditSuccess, EditSuccessEditedInversion, EditSuccessCoarse, EditSuccessTrue };

    /// <summary>Values in <see cref="SuccessKeys"/> order.</summary>
    public static SuccessBySign FromValues(int count, IReadOnlyList<double> v) => new(count, v[0], v[1], v[2], v[3]);

    /// <summary>Over attributes: scenes summed, each success the mean of the attributes that had scenes of this sign
    /// (as the overall scores are the unweighted mean of the attributes').</summary>
    public static SuccessBySign Mean(IReadOnlyCollection<SuccessBySign> all)
    {
        var present = all.Where(s => s.Count > 0).ToList();
        return FromValues(all.Sum(s => s.Count), Enumerable.Range(0, SuccessKeys.Length).Select(k => BenchmarkMetrics.Mean(present.Select(s => s.Values[k]))).ToArray());
    }
}
