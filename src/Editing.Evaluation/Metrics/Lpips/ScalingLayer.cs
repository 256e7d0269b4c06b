using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Editing.Metrics.Lpips;

/// <summary>
/// LPIPS' <c>ScalingLayer</c>: (x − shift)/scale with LPIPS' own constants, which map [−1,1] images to roughly the
/// ImageNet normalisation the backbones were trained with. Buffers <c>shift</c> and <c>scale</c> [1,3,1,1].
/// </summary>
public sealed class ScalingLayer : Module<Tensor, Tensor>
{
    static readonly float[] Shift = [-.030f, -.088f, -.188f];
    static readonly float[] Scale = [.458f, .448f, .450f];

    private readonly Tensor shift;
    private readonly Tensor scale;

    public ScalingLayer() : base(nameof(ScalingLayer))
    {
        shift = tensor(Shift).reshape(1, 3, 1, 1);
        scale = tensor(Scale).reshape(1, 3, 1, 1);
        RegisterComponents();
    }

    /// <summary>[B,3,H,W] in [−1,1] → the backbone input.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return ((x - shift) / scale).MoveToOuterDisposeScope();
    }
}
