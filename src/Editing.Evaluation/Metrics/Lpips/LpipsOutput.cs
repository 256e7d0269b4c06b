using static TorchSharp.torch;

namespace Pipeline.Editing.Metrics.Lpips;

/// <summary>
/// An LPIPS result: <see cref="Value"/> is [B,1,1,1] (averaged) or [B,1,H,W] (spatial, each layer's map upsampled to
/// the input size), and <see cref="PerLayer"/> the five terms that add up to it, in the same shape.
/// </summary>
public sealed class LpipsOutput(Tensor value, IReadOnlyList<Tensor> perLayer) : IDisposable
{
    public Tensor Value { get; } = value;
    public IReadOnlyList<Tensor> PerLayer { get; } = perLayer;

    public void Dispose()
    {
        Value.Dispose();
        foreach (var t in PerLayer) t.Dispose();
    }
}
