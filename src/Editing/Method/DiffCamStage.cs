using Pipeline.Editing.Networks.DiffCam;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Method;

/// <summary>A full-size mask [B,1,S,S] in [0,1] and which samples had a degenerate (constant) CAM.</summary>
public sealed record DiffCamMaskResult(Tensor Mask, IReadOnlyList<bool> Degenerate) : IDisposable
{
    public void Dispose() => Mask.Dispose();
}

/// <summary>
/// Paper step 3: the differential activation of (before, after) — both face-pooled to the DA size and stacked
/// [before | after] so the Siamese difference is after − before — Diff-CAM on the edit's class, min-max normalised at
/// the DA size, then nearest-upsampled to full size (each DA pixel becomes a block, as the reference does).
/// </summary>
public sealed class DiffCamStage(DiffCam diffCam, int diffCamSize, MethodOptions options)
{
    public DiffCamMaskResult Mask(Tensor before, Tensor after, IReadOnlyList<long> targets)
    {
        using var scope = NewDisposeScope();
        long s = after.shape[2];
        var pair = cat(new[] { Composition.FacePool(before, diffCamSize), Composition.FacePool(after, diffCamSize) }, 1);   // [B,6,da,da]
        using var result = DiffCamMask.Compute(diffCam, pair, targets, options.Weighting);
        var mask = Composition.UpsampleMaskNearest(result.Mask.unsqueeze(1), s, s);                                       // [B,1,S,S]
        return new DiffCamMaskResult(mask.MoveToOuterDisposeScope(), result.Degenerate);
    }

    /// <summary>
    /// Paper §3.6 (several attributes): mask i compares T_(i−1) with T_i, T_0 being the inversion; the final mask is
    /// their element-wise maximum.
    /// </summary>
    public (Tensor Final, List<DiffCamMaskResult> Steps) MultiAttributeMask(Tensor inversion, IReadOnlyList<Tensor> edits, IReadOnlyList<IReadOnlyList<long>> targets)
    {
        if (edits.Count == 0) throw new ArgumentException("at least one edit is needed for a mask");
        var steps = new List<DiffCamMaskResult>();
        using var scope = NewDisposeScope();
        Tensor? final = null;
        var previous = inversion;
        for (int i = 0; i < edits.Count; i++)
        {
            var step = Mask(previous, edits[i], targets[i]);
            step.Mask.MoveToOuterDisposeScope();
            steps.Add(step);
            final = final is null ? step.Mask.clone() : maximum(final, step.Mask);
            previous = edits[i];
        }
        return (final!.MoveToOuterDisposeScope(), steps);
    }
}
