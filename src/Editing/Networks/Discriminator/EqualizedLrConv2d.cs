using Pipeline.Editing.Networks.StyleGan2;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Discriminator;

/// <summary>
/// An <c>nn.Conv2d</c> after mmgen's <c>equalized_lr</c> hook: the stored <c>weight_orig</c> is multiplied at run time by
/// <c>gain·√(1/fan_in)</c> in float32. The hook re-registers the weight after the bias, so <c>bias</c> (if any) comes first.
/// </summary>
public sealed class EqualizedLrConv2d : nn.Module<Tensor, Tensor>
{
    readonly Parameter? bias;
    readonly Parameter weight_orig;
    readonly long _stride;
    readonly long _padding;
    readonly double _gain;

    public EqualizedLrConv2d(long inChannels, long outChannels, int kernelSize, int stride, int padding, bool bias, double gain = 1.0)
        : base(nameof(EqualizedLrConv2d))
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0)
            throw new ArgumentException($"EqualizedLrConv2d({inChannels}, {outChannels}, k={kernelSize}, stride={stride}, pad={padding}): invalid size");
        if (bias) this.bias = new Parameter(zeros(outChannels));
        weight_orig = new Parameter(randn(outChannels, inChannels, kernelSize, kernelSize));
        _stride = stride;
        _padding = padding;
        _gain = gain;
        RegisterComponents();
    }

    public Parameter WeightOrig => weight_orig;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long fanIn = weight_orig.shape[1] * weight_orig.shape[2] * weight_orig.shape[3];
        var w = EqualizedLr.Scale(weight_orig, fanIn, 1, EqualizedLrMode.MmgenFloat32, _gain);
        var y = ChannelTailConv.Conv2d(x, w, bias, _stride, _padding);
        return y.MoveToOuterDisposeScope();
    }
}
