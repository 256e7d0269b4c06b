using Pipeline.Editing.Networks.DiffCam;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Pipeline.Editing.Runtime;

namespace Pipeline.Editing.Method;

/// <summary>
/// Diff-CAM (paper §3.2; official <c>DiffCam.cam</c>): Grad-CAM of the DA classifier's raw target logit on layer H,
/// cam = ReLU(Σ_c β_c·H_c), bilinearly upsampled to the DA input (align_corners = False) and min-max normalised per
/// sample (subtract the min, divide by the max).
/// </summary>
public static class DiffCamMask
{
    /// <summary>image [B,6,H,W] = cat(inversion, edit), one target class per sample → mask [B,H,W] and its parts.</summary>
    public static DiffCamResult Compute(DiffCam model, Tensor image, IReadOnlyList<long> targets, DiffCamWeighting weighting = DiffCamWeighting.ClosedForm)
    {
        using var scope = NewDisposeScope();
        CheckTargets(model, targets, image.shape[0]);
        Tensor h, logits, beta;
        using (no_grad()) h = model.Activation(image);      // [B,C,h,w]
        if (weighting == DiffCamWeighting.Autograd)
        {
            (var gradient, logits) = Gradient(model, h, targets);
            beta = WeightsFromGradient(gradient);
        }
        else
        {
            using (no_grad()) logits = model.Classify(h);
            beta = ClosedFormWeights(model, targets, h.shape[2] * h.shape[3]);
        }
        var cam = Cam(beta, h);
        var (mask, degenerate) = Normalise(cam, image.shape[2], image.shape[3]);
        var result = new DiffCamResult(mask.MoveToOuterDisposeScope(), cam.MoveToOuterDisposeScope(), beta.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope(),
            h.MoveToOuterDisposeScope(), targets.ToArray(), degenerate);
        return result;
    }

    /// <summary>β[b] = fc.weight[t_b] / (h·w) [B,C]: d logit_t / dH through avgpool and fc, constant over space.</summary>
    public static Tensor ClosedFormWeights(DiffCam model, IReadOnlyList<long> targets, long spatialSize)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var w = model.ClassWeight;
        var index = tensor(targets.ToArray(), device: w.device);
        using var area = spatialSize.ToScalar();
        return (w.index_select(0, index) / area).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// d(Σ_b logit[b, t_b]) / dH by autograd, with H [B,C,h,w] a leaf (the trunk before H needs no graph); returns the
    /// gradient [B,C,h,w] and the logits. Works inside an inference-mode scope of the caller.
    /// </summary>
    public static (Tensor Gradient, Tensor Logits) Gradient(DiffCam model, Tensor h, IReadOnlyList<long> targets)
    {
        using var scope = NewDisposeScope();
        CheckTargets(model, targets, h.shape[0]);
        using var notInference = inference_mode(false);
        using var grad = enable_grad();
        var leaf = h.detach().clone().requires_grad_(true);
        var logits = model.Classify(leaf);                                   // [B,N]
        var index = tensor(targets.ToArray(), device: h.device).unsqueeze(1);
        var score = logits.gather(1, index).sum();                           // Σ_b logit[b, t_b], no softmax
        var gradient = autograd.grad([score], [leaf])[0];
        return (gradient.detach().MoveToOuterDisposeScope(), logits.detach().MoveToOuterDisposeScope());
    }

    /// <summary>β = spatial mean of the gradient: [B,C,h,w] → [B,C].</summary>
    public static Tensor WeightsFromGradient(Tensor gradient) => gradient.mean([2, 3]);

    /// <summary>cam = ReLU(Σ_c β_c·H_c): β [B,C], H [B,C,h,w] → [B,h,w].</summary>
    public static Tensor Cam(Tensor beta, Tensor h)
    {
        using var scope = NewDisposeScope();
        return F.relu((beta.unsqueeze(-1).unsqueeze(-1) * h).sum(1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// cam [B,h,w] → bilinear (align_corners = False) to [B,height,width], then per sample (x − min) / max(x − min).
    /// A constant CAM gives an all-zero mask and a degenerate flag instead of NaN. The official code passes the size
    /// reversed (W,H); for the square DA input that is the same, and (H,W) keeps a non-square mask aligned with its image.
    /// </summary>
    public static (Tensor Mask, bool[] Degenerate) Normalise(Tensor cam, long height, long width)
    {
        using var scope = NewDisposeScope();
        var up = F.interpolate(cam.unsqueeze(1), [height, width], mode: InterpolationMode.Bilinear, align_corners: false).squeeze(1);
        var shifted = up - up.amin([1, 2], keepdim: true);
        var max = shifted.amax([1, 2], keepdim: true);
        // The raw range is tested too: bilinear weights may turn a constant map into last-ulp noise, which min-max would blow up.
        var rawRange = cam.amax([1, 2], keepdim: true) - cam.amin([1, 2], keepdim: true);
        var usable = (max > Scalars.Zero).logical_and(rawRange > Scalars.Zero).logical_and(shifted.isfinite().all(1, true).all(2, true));
        var mask = where(usable, shifted / where(usable, max, ones_like(max)), zeros_like(shifted));
        var degenerate = usable.logical_not().flatten().cpu().data<bool>().ToArray();
        return (mask.MoveToOuterDisposeScope(), degenerate);
    }

    static void CheckTargets(DiffCam model, IReadOnlyList<long> targets, long batch)
    {
        if (targets.Count != batch)
            throw new ArgumentException($"Diff-CAM needs one target class per sample: {targets.Count} targets for a batch of {batch}", nameof(targets));
        foreach (var t in targets)
            if (t < 0 || t >= model.Config.NumClass)
                throw new ArgumentException($"Diff-CAM target class {t} is outside 0..{model.Config.NumClass - 1}", nameof(targets));
    }
}
