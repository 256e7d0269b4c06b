using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Metrics.Inception;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// <c>inception</c> (metrics tree): pytorch-fid's FID Inception with formula weights. Checks the state keys against
/// keys.json and the weights against formula_check.json, then compares pool3 of every stored input batch, the
/// intermediate blocks of the first image (which carry the input dependence the shared rule loses in deep layers) and,
/// with variant S weights, pool3 again (where it does depend on the input). The float64 twins (<c>*_f64</c>) are
/// compared with the float32 port under the tolerance of their float32 tensor.
/// </summary>
public sealed class InceptionFixture : IParityFixture
{
    const string VariantS = "variant_s_outputs";
    const string Float64Suffix = "_f64";
    const string TracedBatch = "x64";

    public string Folder => "inception";

    public void Run(FixtureContext ctx)
    {
        using var model = new FidInceptionV3();
        model.eval();
        var order = ModuleState.OfficialOrder(model);
        KeysFile.Check(ctx, order);
        var inputs = ctx.File("inputs");

        FormulaWeights.Fill(order, ctx.Formula, TorchLayerFormulaRules.For(model));
        FormulaCheckFile.Verify(ctx, "formula_check.json", order);
        using (inference_mode())
            foreach (var batch in inputs.Keys)
            {
                using var scope = NewDisposeScope();
                using var trace = model.Trace(inputs[batch]);
                ComparePool3(ctx, "", batch, trace.Pool3);
                if (batch != TracedBatch) continue;
                var prefix = $"{batch}.img0.";
                ctx.Compare(prefix + "resized299", trace.Resized.narrow(0, 0, 1));
                ctx.Compare(prefix + "block0", trace.Block0.narrow(0, 0, 1));
                ctx.Compare(prefix + "conv2d_4a_3x3", trace.Conv2d4a.narrow(0, 0, 1));
                ctx.Compare(prefix + "block1", trace.Block1.narrow(0, 0, 1));
                ctx.Compare(prefix + "mixed_5d", trace.Mixed5d.narrow(0, 0, 1));
                ctx.Compare(prefix + "mixed_6e", trace.Block2.narrow(0, 0, 1));
            }

        if (!ctx.HasFile(VariantS)) return;
        VariantSFormula.Fill(ctx, order, TorchLayerFormulaRules.For(model, VariantSFormula.WeightGain));
        FormulaCheckFile.Verify(ctx, "variant_s_formula_check.json", order);
        using (inference_mode())
            foreach (var batch in inputs.Keys)
            {
                using var scope = NewDisposeScope();
                ComparePool3(ctx, VariantS + "/", batch, model.call(inputs[batch]));
            }
    }

    static void ComparePool3(FixtureContext ctx, string prefix, string batch, Tensor pool3)
    {
        var name = $"{prefix}{batch}.pool3";
        ctx.Compare(name, pool3);
        var twin = name + Float64Suffix;
        if (ctx.HasReference(twin)) ctx.Compare(twin, pool3, ctx.Reference(twin), ctx.AcceptanceFor(name));
    }
}
