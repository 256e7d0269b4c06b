using System.Text.Json.Nodes;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Metrics.Lpips;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// <c>lpips</c> (metrics tree): LPIPS v0.1 for each backbone sub-folder (<c>alex/</c>, <c>vgg/</c>) with formula backbone
/// weights and the real released linear layers (from the sibling <c>lpips_weights/</c>). Checks keys and weights, then
/// compares per-pair distances and their per-layer terms, the spatial maps, the backbone taps, the float64 twins, and
/// the same outputs under variant S and (vgg) g = 2 weights. Tolerances are tolerances.json's named absolute bounds.
/// </summary>
public sealed class LpipsFixture : IParityFixture
{
    const string WeightsFolder = "lpips_weights";
    const string Float64Suffix = "_f64";
    /// <summary>The pairs the spatial maps were made from: pairs64 pairs 0 and 1.</summary>
    const string SpatialSource = "pairs64";
    const long SpatialPairs = 2;
    const string RectBatch = "rect";
    /// <summary>pairs64 pair 3 is an image against itself: its distance must be exactly 0.</summary>
    const long IdenticalPair = 3;

    public string Folder => "lpips";

    public void Run(FixtureContext ctx)
    {
        var inputs = ctx.File("inputs");
        var batches = inputs.Keys.Where(k => k.EndsWith(".in0", StringComparison.Ordinal)).Select(k => k[..^".in0".Length]).ToList();
        foreach (var netDir in Directory.EnumerateDirectories(ctx.Dir).OrderBy(d => d, StringComparer.Ordinal))
        {
            var sub = Path.GetFileName(netDir);
            var net = LpipsNets.Parse(sub);
            using var lpips = new Lpips(net);
            lpips.eval();
            var order = ModuleState.OfficialOrder(lpips.Backbone, "net.");
            CheckKeys(ctx, sub, order);
            LpipsWeights.LoadLinear(lpips, Path.Combine(ctx.Dir, "..", WeightsFolder, net.FileName() + ".safetensors"));

            FormulaWeights.Fill(order, ctx.Formula, BackboneRules(lpips, 1.0));
            FormulaCheckFile.Verify(ctx, $"{sub}/formula_check.json", order);
            CompareOutputs(ctx, lpips, inputs, batches, $"{sub}/outputs");

            foreach (var (variant, gain, check) in new[] { ("variant_s", VariantSFormula.WeightGain, "variant_s_formula_check.json"), ("g2", 2.0, "g2_formula_check.json") })
            {
                var stem = $"{sub}/{variant}_outputs";
                if (!ctx.HasFile(stem)) continue;
                var rules = BackboneRules(lpips, gain);
                if (variant == "variant_s") VariantSFormula.Fill(ctx, order, rules);
                else FormulaWeights.Fill(order, ctx.Formula, rules);
                FormulaCheckFile.Verify(ctx, $"{sub}/{check}", order);
                CompareOutputs(ctx, lpips, inputs, batches, stem);
            }
        }
    }

    static void CompareOutputs(FixtureContext ctx, Lpips lpips, StateDict inputs, IReadOnlyList<string> batches, string stem)
    {
        var reference = ctx.File(stem);
        double distAbs = Tolerance(ctx, "default_abs"), mapAbs = Tolerance(ctx, "spatial_maps_abs");
        double tapsAbs = Tolerance(ctx, "taps_abs"), identicalAbs = Tolerance(ctx, "identical_pair_abs");
        void Compare(string key, Tensor port, double abs)
        {
            ctx.CompareAbs($"{stem}/{key}", port, reference[key], abs);
            if (reference.ContainsKey(key + Float64Suffix)) ctx.CompareAbs($"{stem}/{key}{Float64Suffix}", port, reference[key + Float64Suffix], abs);
        }

        using var _ = inference_mode();
        foreach (var batch in batches)
        {
            using var scope = NewDisposeScope();
            var in0 = inputs[batch + ".in0"];
            var in1 = inputs[batch + ".in1"];
            using var output = lpips.Compare(in0, in1, spatial: false);
            var dist = output.Value.flatten();
            Compare($"{batch}.dist", dist, distAbs);
            if (reference.ContainsKey($"{batch}.per_layer"))
                Compare($"{batch}.per_layer", stack(output.PerLayer.Select(t => t.flatten()).ToArray()), distAbs);
            if (batch == SpatialSource && dist.shape[0] > IdenticalPair)
                ctx.CompareAbs($"{stem}/{batch}.dist[{IdenticalPair}] (identical pair)", dist.narrow(0, IdenticalPair, 1), reference[$"{batch}.dist"].narrow(0, IdenticalPair, 1), identicalAbs);

            if (batch == SpatialSource && reference.ContainsKey("spatial64.map"))
            {
                using var spatial = lpips.Compare(in0.narrow(0, 0, SpatialPairs), in1.narrow(0, 0, SpatialPairs), spatial: true);
                Compare("spatial64.map", spatial.Value, mapAbs);
            }
            if (batch == RectBatch && reference.ContainsKey("spatial_rect.map"))
            {
                using var spatial = lpips.Compare(in0, in1, spatial: true);
                Compare("spatial_rect.map", spatial.Value, mapAbs);
                Compare("spatial_rect.per_layer", stack(spatial.PerLayer.ToArray()), mapAbs);
            }
            var tapPrefix = $"{batch}.in0.img0.tap";
            if (reference.ContainsKey(tapPrefix + "1"))
            {
                var taps = lpips.Taps(in0.narrow(0, 0, 1));
                for (int l = 0; l < taps.Length; l++) Compare($"{tapPrefix}{l + 1}", taps[l], tapsAbs);
            }
        }
    }

    /// <summary>The plain-layer rules of the backbone, for its LPIPS names (<c>net.</c> prefix).</summary>
    static Func<string, long[], FormulaRule> BackboneRules(Lpips lpips, double gain)
    {
        var rules = TorchLayerFormulaRules.For(lpips.Backbone, gain);
        return (name, shape) => rules(name.StartsWith("net.", StringComparison.Ordinal) ? name["net.".Length..] : name, shape);
    }

    static double Tolerance(FixtureContext ctx, string key) =>
        ctx.ToleranceSection[key]?.GetValue<double>() ?? throw new InvalidDataException($"tolerances.json {ctx.Name} has no '{key}'");

    static void CheckKeys(FixtureContext ctx, string sub, IReadOnlyList<(string Name, Tensor Tensor)> order)
    {
        var keys = KeysFile.Read(Path.Combine(ctx.Dir, sub, "keys.json"));
        var mine = order.Select(e => $"{e.Name} {DTypes.ShapeText(e.Tensor.shape)}").ToList();
        var theirs = keys.Select(k => $"{k.Name} {DTypes.ShapeText(k.Shape)}").ToList();
        ctx.Check($"{sub}/keys.json ({theirs.Count} backbone entries)", mine.SequenceEqual(theirs), $"port: {string.Join(", ", mine)}");
    }
}
