using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.DiffCam;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// <c>da_module</c>: DiffCam(num_class) ResNet-101 with formula weights on the stored <c>inputs/image_forward</c>:
/// Siamese features, layer H, its autograd gradient, the Diff-CAM weights, CAM and min-max mask (both by autograd, as
/// the official hook does, and in closed form), the CAM of every class, and the logits of a formula batch of two.
/// </summary>
public sealed class DaModuleFixture : IParityFixture
{
    const string ImageInput = "image_forward";
    const string TargetInput = "target_category";
    const string BatchInputId = "da_batch.x";
    const string BatchFile = "batch2";

    public string Folder => "da_module";

    public static Func<string, long[], FormulaRule> Rules(DiffCam model) => TorchLayerFormulaRules.For(model);

    public void Run(FixtureContext ctx)
    {
        using var model = new DiffCam(DiffCamConfig.Official(ctx.ConfigInt("num_class", DiffCamConfig.OfficialNumClass)));
        model.eval();
        FormulaWeights.Fill(ModuleState.OfficialOrder(model), ctx.Formula, Rules(model));

        var inputs = ctx.File("inputs");
        var image = inputs[ImageInput];
        var targets = Targets(ctx, image.shape[0]);
        int c = model.Config.ImageChannels;

        Tensor h;
        using (inference_mode())
        {
            var inverted = model.Shared(image[.., ..c]);
            var delta = model.Shared(image[.., c..(2 * c)]) - inverted;
            ctx.Compare("shared_inverted", inverted);
            ctx.Compare("feat_delta", delta);
            h = model.ClassifierTrunk(delta);
        }
        ctx.Compare("layer4_activation", h);

        var (gradient, logits) = DiffCamMask.Gradient(model, h, targets);
        ctx.Compare("layer4_gradient", gradient);
        ctx.Compare("logits", logits);
        var beta = DiffCamMask.WeightsFromGradient(gradient);
        ctx.Compare("cam_weights", beta);
        var closedBeta = DiffCamMask.ClosedFormWeights(model, targets, h.shape[2] * h.shape[3]);
        CheckClose(ctx, "cam_weights (closed form fc.weight[t]/(h·w) vs autograd)", closedBeta, beta, ctx.Tolerance("cam_weights"));

        var cam = DiffCamMask.Cam(beta, h);
        ctx.Compare("cam_raw_relu", cam);
        var (mask, degenerate) = DiffCamMask.Normalise(cam, image.shape[2], image.shape[3]);
        ctx.Compare("mask_256", mask);
        ctx.Check("mask_256 (not degenerate)", !degenerate.Any(d => d), "the target's CAM is constant, so the mask was zeroed");

        using (inference_mode())
        using (var closed = DiffCamMask.Compute(model, image, targets, DiffCamWeighting.ClosedForm))
        {
            var reference = ctx.File("outputs")["mask_256"];
            CheckClose(ctx, "mask_256 (closed form)", closed.Mask, reference, ctx.Tolerance("mask_256"));
            CheckClose(ctx, "logits (closed-form path)", closed.Logits, ctx.File("outputs")["logits"], ctx.Tolerance("logits"));
        }

        var allTargets = Enumerable.Range(0, model.Config.NumClass).Select(t => (long)t).ToArray();
        var first = h[..1].expand(allTargets.Length, -1, -1, -1);
        var (allGradient, _) = DiffCamMask.Gradient(model, first, allTargets);
        ctx.Compare("cam_raw_relu_all_targets", DiffCamMask.Cam(DiffCamMask.WeightsFromGradient(allGradient), first));

        if (ctx.HasFile(BatchFile)) CompareBatch(ctx, model);
    }

    /// <summary>The formula batch (its size from the stored logits) exercises the B > 1 squeeze path of the official forward.</summary>
    static void CompareBatch(FixtureContext ctx, DiffCam model)
    {
        var reference = ctx.File(BatchFile)["logits"];
        long size = ctx.ConfigInt("input_size", 0);
        if (size <= 0) throw new InvalidDataException("run_configs.da_module.input_size is missing");
        using var _ = inference_mode();
        var x = ctx.Input(BatchInputId, reference.shape[0], 2 * model.Config.ImageChannels, size, size);
        ctx.Compare($"{BatchFile}/logits", model.forward(x));
    }

    /// <summary>The target class per sample: the stored input, else <c>run_configs.target_category</c> for every sample.</summary>
    static long[] Targets(FixtureContext ctx, long batch)
    {
        var inputs = ctx.File("inputs");
        if (inputs.TryGetValue(TargetInput, out var stored))
            return stored.to_type(ScalarType.Int64).flatten().data<long>().ToArray();
        int t = ctx.ConfigInt(TargetInput, -1);
        if (t < 0) throw new InvalidDataException("da_module has neither inputs/target_category nor run_configs.target_category");
        return Enumerable.Repeat((long)t, (int)batch).ToArray();
    }

    static void CheckClose(FixtureContext ctx, string what, Tensor port, Tensor reference, double rel)
    {
        using var scope = NewDisposeScope();
        var p = port.detach().to_type(ScalarType.Float64);
        var r = reference.to_type(ScalarType.Float64);
        double maxAbs = (p - r).abs().max().item<double>();
        double maxRef = r.abs().max().item<double>();
        ctx.Check(what, maxAbs <= rel * maxRef, $"max_abs={maxAbs:0.###e+00} > {rel:0.###e+00}·max|ref| ({maxRef:0.###e+00})");
    }
}
