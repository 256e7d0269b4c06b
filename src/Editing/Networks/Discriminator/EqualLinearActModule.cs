using Pipeline.Editing.Runtime;
using Pipeline.Editing.Networks.StyleGan2;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Pipeline.Editing.Networks.Discriminator;

/// <summary>
/// mmgen <c>EqualLinearActModule</c>: own <c>bias</c>, child <c>linear</c> (an equalized-lr <c>nn.Linear</c> without bias,
/// stored as <c>linear.weight_orig</c>); <c>y = flrelu(x·Wᵀ, b·lr_mul)</c> with the fused activation, else <c>x·Wᵀ + b·lr_mul</c>.
/// Inputs of rank ≥ 3 are flattened per sample first.
/// </summary>
public sealed class EqualLinearActModule : nn.Module<Tensor, Tensor>
{
    readonly Parameter bias;
    readonly EqualizedLrLinear linear;
    readonly Scalar _biasScale;
    readonly bool _fusedLeakyRelu;

    public EqualLinearActModule(long inFeatures, long outFeatures, bool fusedLeakyRelu = false, double lrMul = 1, double biasInit = 0)
        : base(nameof(EqualLinearActModule))
    {
        using (Scalar init = biasInit) bias = new Parameter(full(outFeatures, init));
        linear = new EqualizedLrLinear(inFeatures, outFeatures, lrMul);
        _biasScale = lrMul;
        _fusedLeakyRelu = fusedLeakyRelu;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        if (x.dim() >= 3) x = x.reshape(x.shape[0], -1);
        var y = linear.call(x);
        var b = bias * _biasScale;
        y = _fusedLeakyRelu ? FusedLeakyReLU.Apply(y, b) : y.Plus(b);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>The <c>linear</c> child: <c>weight_orig [out,in]</c> scaled by <c>lr_mul·√(1/in)</c> in float32.</summary>
    public sealed class EqualizedLrLinear : nn.Module<Tensor, Tensor>
    {
        readonly Parameter weight_orig;
        readonly double _lrMul;

        public EqualizedLrLinear(long inFeatures, long outFeatures, double lrMul) : base("EqualizedLRLinearModule")
        {
            if (inFeatures <= 0 || outFeatures <= 0) throw new ArgumentException($"EqualizedLRLinearModule({inFeatures}, {outFeatures}): sizes must be positive");
            using (Scalar lr = lrMul) weight_orig = new Parameter(randn(outFeatures, inFeatures).div_(lr));
            _lrMul = lrMul;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var w = EqualizedLr.Scale(weight_orig, weight_orig.shape[1], _lrMul, EqualizedLrMode.MmgenFloat32);
            return F.linear(x, w).MoveToOuterDisposeScope();
        }
    }
}
