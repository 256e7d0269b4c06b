using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.StyleGan2;
using static TorchSharp.torch;

namespace Pipeline.Editing.Training;

/// <summary>
/// Copies a StyleGAN2 generator into another of the same synthesis shape — the pack's pSp decoder (rosinality layout)
/// into Deghosting's frozen generator (mmgen layout): the module class and its own names are the same, only the file
/// layouts differ. The mapping network, which Deghosting never runs, is copied where it matches and skipped otherwise.
/// </summary>
public static class GeneratorTransfer
{
    const string MappingPrefix = "style.";

    /// <summary>Returns the names left at their initial values (mapping layers the source lacks).</summary>
    public static IReadOnlyList<string> Copy(StyleGan2Generator source, StyleGan2Generator target)
    {
        var from = ModuleState.OfficialOrder(source).ToDictionary(e => e.Name, e => e.Tensor, StringComparer.Ordinal);
        var skipped = new List<string>();
        var problems = new List<string>();
        using var _ = no_grad();
        foreach (var (name, t) in ModuleState.OfficialOrder(target))
        {
            bool ok = from.TryGetValue(name, out var s) && s.shape.SequenceEqual(t.shape);
            if (ok) { t.copy_(s!); continue; }
            if (name.StartsWith(MappingPrefix, StringComparison.Ordinal)) { skipped.Add(name); continue; }
            problems.Add(s is null ? $"{name}: missing from the source" : $"{name}: source {DTypes.ShapeText(s.shape)} vs target {DTypes.ShapeText(t.shape)}");
        }
        if (problems.Count > 0)
            throw new ArgumentException($"the generators differ in {problems.Count} synthesis tensor(s) (check the channel tables and sizes):\n  " + string.Join("\n  ", problems.Take(20)));
        return skipped;
    }
}
