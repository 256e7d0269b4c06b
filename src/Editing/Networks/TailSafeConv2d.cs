using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks;

/// <summary>
/// <c>nn.Conv2d</c> (same <c>weight</c> and <c>bias</c> keys, same initialisation) whose forward goes through
/// <see cref="ChannelTailConv"/>, so an input channel count with a tail never reaches oneDNN's padded layouts. The
/// networks whose widths a model pack chooses build their convolutions with it; those with fixed official widths
/// (all multiples of 16) keep <c>nn.Conv2d</c>.
/// </summary>
public sealed class TailSafeConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly long _stride;
    private readonly long _padding;

    public TailSafeConv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, bool bias = true)
        : base("Conv2d")
    {
        // nn.Conv2d's own initialisation, drawn from the same generator in the same order as before.
        using var reference = nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: padding, bias: bias);
        weight = new Parameter(reference.weight!.detach().clone());
        this.bias = bias ? new Parameter(reference.bias!.detach().clone()) : null;
        _stride = stride;
        _padding = padding;
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public Parameter? Bias => bias;

    public override Tensor forward(Tensor x) => ChannelTailConv.Conv2d(x, weight, bias, _stride, _padding);

    /// <summary><c>forward(cat(parts, 1))</c>, with any channel tail filled in the concatenation's own copy.</summary>
    public Tensor ForwardConcatenated(IReadOnlyList<Tensor> parts) =>
        ChannelTailConv.Conv2dOfConcatenation(parts, weight, bias, _stride, _padding);
}
