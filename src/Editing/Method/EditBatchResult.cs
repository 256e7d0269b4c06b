using static TorchSharp.torch;

namespace Pipeline.Editing.Method;

/// <summary>Everything the method produced for a batch, all at full size [B,…,S,S].</summary>
public sealed class EditBatchResult : IDisposable
{
    public required Tensor Inversion { get; init; }
    public required Tensor Latent { get; init; }
    /// <summary>T_1..T_r, one per edit, each applied on top of the previous ones.</summary>
    public required IReadOnlyList<Tensor> Edited { get; init; }
    public required IReadOnlyList<Tensor> StepMasks { get; init; }
    public required Tensor Mask { get; init; }
    public required Tensor Coarse { get; init; }
    public required Tensor Final { get; init; }
    /// <summary>Per sample: the edits whose Diff-CAM was constant (their step mask is zero).</summary>
    public required IReadOnlyList<IReadOnlyList<string>> DegenerateEdits { get; init; }
    public required IReadOnlyDictionary<string, double> StageMilliseconds { get; init; }

    public void Dispose()
    {
        Inversion.Dispose(); Latent.Dispose(); Mask.Dispose(); Coarse.Dispose(); Final.Dispose();
        foreach (var t in Edited) t.Dispose();
        foreach (var t in StepMasks) t.Dispose();
    }
}
