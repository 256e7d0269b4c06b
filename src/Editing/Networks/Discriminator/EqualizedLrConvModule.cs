using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Discriminator;

/// <summary>mmgen <c>EqualizedLRConvModule</c> without norm or activation: a ConvModule whose single child is <c>conv</c>.</summary>
public sealed class EqualizedLrConvModule : nn.Module<Tensor, Tensor>
{
    readonly EqualizedLrConv2d conv;

    public EqualizedLrConvModule(long inChannels, long outChannels, int kernelSize, int stride, int padding, bool bias)
        : base(nameof(EqualizedLrConvModule))
    {
        conv = new EqualizedLrConv2d(inChannels, outChannels, kernelSize, stride, padding, bias);
        RegisterComponents();
    }

    public EqualizedLrConv2d Conv => conv;

    public override Tensor forward(Tensor x) => conv.call(x);
}
