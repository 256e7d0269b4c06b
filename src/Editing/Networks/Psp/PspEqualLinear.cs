using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Psp;

/// <summary>
/// rosinality's <c>EqualLinear</c> without activation, as the style heads use it: weights are stored unscaled and
/// multiplied at run time, <c>y = x @ (W · lr_mul/√in)ᵀ + b · lr_mul</c>.
/// </summary>
public sealed class PspEqualLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    readonly double _scale;
    readonly double _lrMul;

    public PspEqualLinear(long inFeatures, long outFeatures, double lrMul = 1.0) : base(nameof(PspEqualLinear))
    {
        weight = new Parameter(randn(outFeatures, inFeatures).div_(lrMul));
        bias = new Parameter(zeros(outFeatures));
        _scale = 1.0 / Math.Sqrt(inFeatures) * lrMul;
        _lrMul = lrMul;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var w = weight * _scale;   // [out,in]
        var b = bias * _lrMul;     // [out]
        return nn.functional.linear(x, w, b).MoveToOuterDisposeScope();
    }
}
