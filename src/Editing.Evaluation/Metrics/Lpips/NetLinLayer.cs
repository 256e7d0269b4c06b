using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Editing.Metrics.Lpips;

/// <summary>
/// LPIPS' <c>NetLinLayer</c>: <c>model = Sequential(Dropout(), Conv2d(C, 1, 1, bias=False))</c>, the learned per-channel
/// weights of one tap (key <c>linL.model.1.weight</c> [1,C,1,1]). Dropout is inactive in evaluation.
/// </summary>
public sealed class NetLinLayer : Module<Tensor, Tensor>
{
    private readonly Sequential model;

    public NetLinLayer(long channels) : base(nameof(NetLinLayer))
    {
        model = Sequential(("0", Dropout()), ("1", Conv2d(channels, 1, 1, bias: false)));
        foreach (var p in parameters()) p.requires_grad = false;
        RegisterComponents();
    }

    /// <summary>[B,C,h,w] → [B,1,h,w].</summary>
    public override Tensor forward(Tensor x) => model.call(x);
}
