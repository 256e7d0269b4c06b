using Pipeline.Editing.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Discriminator;

/// <summary>mmgen discriminator <c>ResBlock</c>: <c>(conv2(conv1(x)) + skip(x)) / √2</c>, conv2 and skip halving the resolution.</summary>
public sealed class DiscriminatorResBlock : nn.Module<Tensor, Tensor>
{
    static readonly Scalar ResidualGain = Math.Sqrt(2.0);
    const int ConvKernel = 3;
    const int SkipKernel = 1;

    readonly ConvDownLayer conv1;
    readonly ConvDownLayer conv2;
    readonly ConvDownLayer skip;

    public DiscriminatorResBlock(long inChannels, long outChannels, IReadOnlyList<double>? blurKernel = null) : base("ResBlock")
    {
        conv1 = new ConvDownLayer(inChannels, inChannels, ConvKernel, blurKernel: blurKernel);
        conv2 = new ConvDownLayer(inChannels, outChannels, ConvKernel, downsample: true, blurKernel: blurKernel);
        skip = new ConvDownLayer(inChannels, outChannels, SkipKernel, downsample: true, blurKernel: blurKernel, bias: false, activate: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = conv2.call(conv1.call(x));
        return (y.Plus(skip.call(x)) / ResidualGain).MoveToOuterDisposeScope();
    }
}
