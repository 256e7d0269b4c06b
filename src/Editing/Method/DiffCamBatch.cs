using static TorchSharp.torch;

namespace Pipeline.Editing.Method;

/// <summary>What the DiffCam stage makes of a batch: the step masks [B,1,S,S] (step i compares T_(i−1) with T_i), their
/// element-wise maximum M, the coarse composite F = T_r·M + I·(1 − M), per sample the edits whose Diff-CAM was
/// constant, and the milliseconds of <c>diffcam</c> and <c>compose</c>.</summary>
public sealed record DiffCamBatch(Tensor Mask, IReadOnlyList<Tensor> StepMasks, Tensor Coarse, IReadOnlyList<IReadOnlyList<string>> DegenerateEdits,
    IReadOnlyDictionary<string, double> Milliseconds) : IDisposable
{
    public void Dispose()
    {
        Mask.Dispose();
        Coarse.Dispose();
        foreach (var t in StepMasks) t.Dispose();
    }
}
