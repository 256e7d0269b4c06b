using Pipeline.Editing.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// Equalized-learning-rate linear layer (rosinality <c>EqualLinear</c>): the stored <c>weight [out,in]</c> is unscaled and
/// multiplied at run time by <c>lr_mul/√in</c>; the bias is multiplied by <c>lr_mul</c>. With the fused activation,
/// <c>y = flrelu(x·Wᵀ, b·lr_mul)</c>; without it, <c>y = x·Wᵀ + b·lr_mul</c>.
/// </summary>
public sealed class EqualLinear : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly Parameter bias;
    readonly double _lrMul;
    readonly Scalar _biasScale;
    readonly bool _fusedLeakyRelu;
    readonly EqualizedLrMode _mode;

    public EqualLinear(long inFeatures, long outFeatures, double biasInit = 0, double lrMul = 1, bool fusedLeakyRelu = false,
        EqualizedLrMode mode = EqualizedLrMode.RosinalityDouble) : base(nameof(EqualLinear))
    {
        if (inFeatures <= 0 || outFeatures <= 0) throw new ArgumentException($"EqualLinear({inFeatures}, {outFeatures}): sizes must be positive");
        if (lrMul <= 0) throw new ArgumentException($"EqualLinear lr_mul must be positive, got {lrMul}", nameof(lrMul));
        _lrMul = lrMul;
        _biasScale = lrMul;
        _fusedLeakyRelu = fusedLeakyRelu;
        _mode = mode;
        // rosinality initialises randn/lr_mul so that the effective weight is N(0, 1/in); checkpoints overwrite it.
        using Scalar lr = lrMul, init = biasInit;
        weight = new Parameter(randn(outFeatures, inFeatures).div_(lr));
        bias = new Parameter(full(outFeatures, init));
        RegisterComponents();
    }

    public Parameter Weight => weight;
    public Parameter Bias => bias;
    public double LrMul => _lrMul;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var w = EqualizedLr.Scale(weight, weight.shape[1], _lrMul, _mode);   // [out,in]
        var b = bias * _biasScale;
        Tensor y;
        if (_fusedLeakyRelu) y = FusedLeakyReLU.Apply(F.linear(x, w), b);
        else if (_mode == EqualizedLrMode.RosinalityDouble) y = F.linear(x, w, b);
        else y = F.linear(x, w).Plus(b);
        return y.MoveToOuterDisposeScope();
    }
}
