using static TorchSharp.torch;

namespace Pipeline.Editing.Method;

/// <summary>What the Invert stage makes of a batch: W+ codes [B,n,512], the inversion I' [B,3,S,S] and T_1..T_r
/// (edit i applied on top of edits 1..i−1), with the milliseconds of <c>invert</c> and <c>edit</c>.</summary>
public sealed record InvertedBatch(Tensor Latent, Tensor Inversion, IReadOnlyList<Tensor> Edited, IReadOnlyDictionary<string, double> Milliseconds)
    : IDisposable
{
    public void Dispose()
    {
        Latent.Dispose();
        Inversion.Dispose();
        foreach (var t in Edited) t.Dispose();
    }
}
