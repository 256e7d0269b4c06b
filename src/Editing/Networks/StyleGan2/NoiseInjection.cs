using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Pipeline.Editing.Runtime;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// Adds per-pixel noise with a learned strength: <c>y = x + weight·noise</c>, noise <c>[1 or B,1,H,W]</c> broadcast over
/// channels. Without noise, fresh N(0,1) <c>[B,1,H,W]</c> is drawn (the official <c>randomize_noise</c> behaviour).
/// </summary>
public sealed class NoiseInjection : nn.Module<Tensor, Tensor?, Tensor>
{
    readonly Parameter weight;

    public NoiseInjection() : base(nameof(NoiseInjection))
    {
        weight = new Parameter(zeros(1));
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public override Tensor forward(Tensor x, Tensor? noise)
    {
        using var scope = NewDisposeScope();
        return x.Plus(weight * (noise ?? Fresh(x))).MoveToOuterDisposeScope();
    }

    /// <summary>Adds the noise into <paramref name="x"/> itself (inference only: it overwrites the input).</summary>
    internal void ForwardInPlace(Tensor x, Tensor? noise)
    {
        using var scope = NewDisposeScope();
        x.add_(weight * (noise ?? Fresh(x)), alpha: Scalars.One);
    }

    static Tensor Fresh(Tensor x) => randn(new[] { x.shape[0], 1, x.shape[2], x.shape[3] }, x.dtype, x.device);
}
