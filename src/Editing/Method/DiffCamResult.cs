using static TorchSharp.torch;

namespace Pipeline.Editing.Method;

/// <summary>
/// Diff-CAM for a batch. <see cref="Mask"/> [B,H,W] is the min-max normalised map at the DA input size; a sample whose
/// CAM is constant (typically all ≤ 0 before the ReLU) cannot be normalised, gets an all-zero mask (the edit is then
/// not applied) and is flagged in <see cref="Degenerate"/>, where the official code would produce NaN.
/// </summary>
public sealed class DiffCamResult(Tensor mask, Tensor cam, Tensor weights, Tensor logits, Tensor activation,
    IReadOnlyList<long> targets, IReadOnlyList<bool> degenerate) : IDisposable
{
    /// <summary>[B,H,W] in [0,1]; all zero where <see cref="Degenerate"/>.</summary>
    public Tensor Mask { get; } = mask;

    /// <summary>The ReLU'd CAM at layer H's resolution [B,h,w].</summary>
    public Tensor Cam { get; } = cam;

    /// <summary>The channel weights β [B,C].</summary>
    public Tensor Weights { get; } = weights;

    public Tensor Logits { get; } = logits;

    /// <summary>Layer H (the layer4 output) [B,C,h,w].</summary>
    public Tensor Activation { get; } = activation;

    public IReadOnlyList<long> Targets { get; } = targets;

    public IReadOnlyList<bool> Degenerate { get; } = degenerate;

    /// <summary>One line per degenerate sample, for the caller to log.</summary>
    public IEnumerable<string> Warnings =>
        Degenerate.Select((d, b) => (d, b)).Where(x => x.d).Select(x =>
            $"Diff-CAM of sample {x.b} (target {Targets[x.b]}) is constant, so it cannot be min-max normalised; its mask is all zero and the edit is not applied");

    /// <summary>The mask nearest-upsampled to the full image size, [B,1,height,width] (official step 8).</summary>
    public Tensor MaskAt(long height, long width) => Composition.UpsampleMaskNearest(Mask, height, width);

    public void Dispose()
    {
        Mask.Dispose();
        Cam.Dispose();
        Weights.Dispose();
        Logits.Dispose();
        Activation.Dispose();
    }
}
