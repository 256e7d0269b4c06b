using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Pipeline.Editing.Runtime;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// <c>lrelu_0.2(x + b[c])·√2</c> with the bias broadcast over channel dim 1. rosinality's <c>FusedLeakyReLU</c> and
/// mmgen's <c>FusedBiasLeakyReLU</c> are the same layer with the same single parameter <c>bias</c>.
/// </summary>
public sealed class FusedLeakyReLU : nn.Module<Tensor, Tensor>
{
    public const double NegativeSlope = 0.2;
    public static readonly double Scale = Math.Sqrt(2.0);
    static readonly Scalar Slope = NegativeSlope, Gain = Scale;

    readonly Parameter bias;

    public FusedLeakyReLU(long channels) : base(nameof(FusedLeakyReLU))
    {
        bias = new Parameter(zeros(channels));
        RegisterComponents();
    }

    public Parameter Bias => bias;

    public override Tensor forward(Tensor x) => Apply(x, bias);

    /// <summary>The functional form; <paramref name="bias"/> [C] is added along dim 1 of x (any rank ≥ 2).</summary>
    public static Tensor Apply(Tensor x, Tensor bias)
    {
        using var scope = NewDisposeScope();
        var y = x.Plus(BiasView(x, bias));
        if (is_grad_enabled()) y = y.leaky_relu(Slope) * Gain;
        else ActivateInPlace(y);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Overwrites <paramref name="x"/> with the layer's output, without the full-size temporaries of the functional form
    /// (at 1024² each is 134 MB). Only for inference: autograd needs the pre-activation that this overwrites.
    /// </summary>
    internal void ForwardInPlace(Tensor x)
    {
        using var scope = NewDisposeScope();
        x.add_(BiasView(x, bias), alpha: Scalars.One);
        ActivateInPlace(x);
    }

    static void ActivateInPlace(Tensor x)
    {
        x.leaky_relu_(Slope);
        x.mul_(Gain);
    }

    static Tensor BiasView(Tensor x, Tensor bias)
    {
        var shape = new long[x.dim()];
        Array.Fill(shape, 1L);
        shape[1] = bias.shape[0];
        return bias.view(shape);
    }
}
