using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// A <c>formula_check.json</c> of the metrics tree: for every float tensor its name, k, the first four float32 values
/// and the float64 sum of all of them. Checking the filled model against it proves the weight rule (and k) before any
/// output is compared, so a wrong output points at the network, not at the weights.
/// </summary>
internal static class FormulaCheckFile
{
    /// <summary>The sum is taken in another order than numpy's pairwise sum; this bounds the difference.</summary>
    const double SumRelTolerance = 1e-9;
    const double SumAbsFloor = 1e-12;

    public static void Verify(FixtureContext ctx, string file, IReadOnlyList<(string Name, Tensor Tensor)> order, string prefix = "")
    {
        var path = Path.Combine(ctx.Dir, file);
        var entries = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        var position = order.Select((e, k) => (e.Name, k)).ToDictionary(e => e.Name, e => e.k, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var node in entries)
        {
            var name = node!["name"]!.GetValue<string>();
            if (!position.TryGetValue(name, out var k)) { problems.Add($"{name}: not in the model"); continue; }
            if (k != node["k"]!.GetValue<long>()) problems.Add($"{name}: k={k}, file says {node["k"]}");
            using var flat = order[k].Tensor.detach().flatten().to_type(ScalarType.Float32);
            var first = node["first4"]!.AsArray().Select(v => (float)v!.GetValue<double>()).ToArray();
            var mine = flat.narrow(0, 0, Math.Min(first.Length, flat.shape[0])).data<float>().ToArray();
            if (!first.SequenceEqual(mine)) problems.Add($"{name}: first values [{string.Join(", ", mine)}] vs [{string.Join(", ", first)}]");
            double sum = flat.to_type(ScalarType.Float64).sum().item<double>();
            double expected = node["sum_f64"]!.GetValue<double>();
            if (Math.Abs(sum - expected) > SumRelTolerance * Math.Abs(expected) + SumAbsFloor * flat.shape[0])
                problems.Add($"{name}: sum {sum:R} vs {expected:R}");
        }
        ctx.Check($"{prefix}{file} ({entries.Count} tensors)", problems.Count == 0, string.Join("; ", problems.Take(5)));
    }
}
