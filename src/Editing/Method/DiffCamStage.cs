using Pipeline.Editing.Networks.DiffCam;
using Pipeline.Editing.Runtime;
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
/// [before | after] so the Siamese difference is after − before — Diff-CAM on the edit's class (or, for a direction
/// the DA module does not know, the class-agnostic <see cref="ActivationDifferenceMask"/>), min-max normalised at
/// the DA size, then nearest-upsampled to full size (each DA pixel becomes a block, as the reference does). The public
/// functions take and return CPU tensors and run on the network's device.
/// </summary>
public sealed class DiffCamStage(DiffCam diffCam, int diffCamSize, MethodOptions options, double agnosticGain = 1)
{
    readonly Device _device = ComputeDevice.Of(diffCam);

    /// <summary>The network's device: where <see cref="MultiAttributeMaskOnDevice"/> wants its inputs.</summary>
    public Device Device => _device;

    public DiffCamMaskResult Mask(Tensor before, Tensor after, IReadOnlyList<long> targets)
    {
        using var scope = NewDisposeScope();
        var (mask, degenerate) = MaskOnDevice(before.OnDevice(_device), after.OnDevice(_device), targets);
        return new DiffCamMaskResult(mask.OnCpu().MoveToOuterDisposeScope(), degenerate);
    }

    /// <summary>
    /// Paper §3.6 (several attributes): mask i compares T_(i−1) with T_i, T_0 being the inversion; the final mask is
    /// their element-wise maximum.
    /// </summary>
    public (Tensor Final, List<DiffCamMaskResult> Steps) MultiAttributeMask(Tensor inversion, IReadOnlyList<Tensor> edits, IReadOnlyList<IReadOnlyList<long>> targets)
    {
        using var scope = NewDisposeScope();
        var (final, steps) = MultiAttributeMaskOnDevice(inversion.OnDevice(_device), edits.Select(e => e.OnDevice(_device)).ToList(), targets);
        var cpuSteps = steps.Select(st => new DiffCamMaskResult(st.Mask.OnCpu().MoveToOuterDisposeScope(), st.Degenerate)).ToList();
        return (final.OnCpu().MoveToOuterDisposeScope(), cpuSteps);
    }

    /// <summary><see cref="MultiAttributeMask"/> on tensors already on <see cref="Device"/>; the results stay there, in
    /// the caller's dispose scope (the method composes on the device before handing results out).</summary>
    public (Tensor Final, List<DiffCamMaskResult> Steps) MultiAttributeMaskOnDevice(Tensor inversion, IReadOnlyList<Tensor> edits, IReadOnlyList<IReadOnlyList<long>> targets)
    {
        if (edits.Count == 0) throw new ArgumentException("at least one edit is needed for a mask");
        var steps = new List<DiffCamMaskResult>();
        Tensor? final = null;
        var previous = inversion;
        for (int i = 0; i < edits.Count; i++)
        {
            var (mask, degenerate) = MaskOnDevice(previous, edits[i], targets[i]);
            steps.Add(new DiffCamMaskResult(mask, degenerate));
            final = final is null ? mask.clone() : maximum(final, mask);
            previous = edits[i];
        }
        return (final!, steps);
    }

    (Tensor Mask, IReadOnlyList<bool> Degenerate) MaskOnDevice(Tensor before, Tensor after, IReadOnlyList<long> targets)
    {
        long s = after.shape[2];
        var pair = cat(new[] { Composition.FacePool(before, diffCamSize), Composition.FacePool(after, diffCamSize) }, 1);   // [B,6,da,da]
        if (targets.Any(t => t == DirectionMask.AgnosticTarget))
        {
            if (targets.Any(t => t != DirectionMask.AgnosticTarget))
                throw new ArgumentException("one step's samples are either all class-agnostic or all Diff-CAM targets", nameof(targets));
            var (agnostic, flat) = ActivationDifferenceMask.Compute(diffCam, pair, agnosticGain);
            return (Composition.UpsampleMaskNearest(agnostic.unsqueeze(1), s, s), flat);
        }
        using var result = DiffCamMask.Compute(diffCam, pair, targets, options.Weighting);
        return (Composition.UpsampleMaskNearest(result.Mask.unsqueeze(1), s, s), result.Degenerate);                       // [B,1,S,S]
    }
}
