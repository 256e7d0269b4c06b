using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.DiffCam;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// <c>da_module</c>: DiffCam(num_class) ResNet-101 with formula weights on the stored <c>inputs/image_forward</c>:
/// Siamese features, layer H, its autograd gradient, the Diff-CAM weights, CAM and min-max mask (both by autograd, as
/// the official hook does, and in closed form), the CAM of every class, and every tensor stored for a formula batch of
/// two. Workers compute masks for batches with a target per image, while the official code runs one image at a time, so
/// a batch of two copies of the stored image with two different targets is checked against the official per-image
/// tensors: layer H of each, the CAM of each target, and the min-max mask, which must be normalised per image.
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

        ComparePerImageBatch(ctx, model, image, targets[0]);
        if (ctx.HasFile(BatchFile)) CompareBatch(ctx, model);
    }

    /// <summary>
    /// The formula batch (its size from the stored logits) exercises the B > 1 squeeze path of the official forward.
    /// Every tensor the batch file stores is compared: logits always, and the Diff-CAM chain when it stores it (with the
    /// batch's own <c>target_category</c>, one per image).
    /// </summary>
    static void CompareBatch(FixtureContext ctx, DiffCam model)
    {
        var stored = ctx.File(BatchFile);
        var reference = stored["logits"];
        long size = ctx.ConfigInt("input_size", 0);
        if (size <= 0) throw new InvalidDataException("run_configs.da_module.input_size is missing");
        var x = ctx.Input(BatchInputId, reference.shape[0], 2 * model.Config.ImageChannels, size, size);
        using (inference_mode()) ctx.Compare($"{BatchFile}/logits", model.forward(x));
        if (!ChainTensors.Any(stored.ContainsKey)) return;
        if (!stored.TryGetValue(TargetInput, out var t)) throw new InvalidDataException($"{BatchFile} stores Diff-CAM tensors but no {TargetInput}");
        var targets = t.to_type(ScalarType.Int64).flatten().data<long>().ToArray();
        var chain = Chain(model, x, targets);
        ctx.Check($"{BatchFile}/{TargetInput}", true);
        foreach (var (name, port) in chain)
            if (stored.ContainsKey(name)) ctx.Compare($"{BatchFile}/{name}", port);
    }

    static readonly string[] ChainTensors = { "shared_inverted", "feat_delta", "layer4_activation", "layer4_gradient", "cam_weights", "cam_raw_relu", "mask_256" };

    /// <summary>The Diff-CAM chain of a batch by autograd, as the official hook computes it, keyed as the stored outputs.</summary>
    static Dictionary<string, Tensor> Chain(DiffCam model, Tensor image, long[] targets)
    {
        int c = model.Config.ImageChannels;
        var result = new Dictionary<string, Tensor>();
        using (inference_mode())
        {
            result["shared_inverted"] = model.Shared(image[.., ..c]);
            result["feat_delta"] = model.Shared(image[.., c..(2 * c)]) - result["shared_inverted"];
            result["layer4_activation"] = model.ClassifierTrunk(result["feat_delta"]);
        }
        var h = result["layer4_activation"];
        var (gradient, logits) = DiffCamMask.Gradient(model, h, targets);
        result["layer4_gradient"] = gradient;
        result["logits"] = logits;
        result["cam_weights"] = DiffCamMask.WeightsFromGradient(gradient);
        result["cam_raw_relu"] = DiffCamMask.Cam(result["cam_weights"], h);
        result["mask_256"] = DiffCamMask.Normalise(result["cam_raw_relu"], image.shape[2], image.shape[3]).Mask;
        return result;
    }

    /// <summary>
    /// Two copies of the stored image in one batch, with the stored target t and another class u (the one with the
    /// largest CAM, so that a mask normalised over the batch instead of per image would move), in both orders; each
    /// image's layer H, CAM and mask against the official single-image tensors (the mask of u against the official CAM
    /// of u normalised alone). Both the autograd chain and the workers' closed-form path are checked.
    /// </summary>
    static void ComparePerImageBatch(FixtureContext ctx, DiffCam model, Tensor image, long target)
    {
        var outputs = ctx.File("outputs");
        var camAll = outputs["cam_raw_relu_all_targets"];                            // [N,h,w], official per image
        long other = Enumerable.Range(0, (int)camAll.shape[0]).Where(u => u != target)
            .OrderByDescending(u => camAll[u].max().item<float>()).First();
        if (camAll[other].max().item<float>() <= 0) { ctx.Fail("per-image batch", "no second class has a non-zero CAM"); return; }
        var (otherMask, _) = DiffCamMask.Normalise(camAll[other].unsqueeze(0), image.shape[2], image.shape[3]);
        var official = new Dictionary<long, Tensor> { [target] = outputs["mask_256"][0], [other] = otherMask[0] };
        var pair = image[..1].expand(2, -1, -1, -1).contiguous();
        foreach (var order in new[] { new[] { target, other }, new[] { other, target } })
        {
            string label = $"batch of 2, targets [{order[0]},{order[1]}]";
            var chain = Chain(model, pair, order);
            DiffCamResult closed;
            using (inference_mode()) closed = DiffCamMask.Compute(model, pair, order, DiffCamWeighting.ClosedForm);
            using var _ = closed;
            for (int i = 0; i < 2; i++)
            {
                ctx.Compare($"{label}: layer4_activation[{i}]", chain["layer4_activation"][i], outputs["layer4_activation"][0], ctx.AcceptanceFor("layer4_activation"));
                ctx.Compare($"{label}: cam_raw_relu[{i}] (target {order[i]})", chain["cam_raw_relu"][i], camAll[order[i]], ctx.AcceptanceFor("cam_raw_relu"));
                ctx.Compare($"{label}: mask_256[{i}] (target {order[i]})", chain["mask_256"][i], official[order[i]], ctx.AcceptanceFor("mask_256"));
                ctx.Compare($"{label}: closed-form mask_256[{i}] (target {order[i]})", closed.Mask[i], official[order[i]], ctx.AcceptanceFor("mask_256"));
            }
        }
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
