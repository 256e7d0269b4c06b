using Pipeline.Editing.Networks.StyleGan2;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Psp;

/// <summary>
/// One pSp style head: log2(spatial) stride-2 convs (each followed by LeakyReLU 0.01) shrink a
/// <c>spatial × spatial</c> map to 1×1, then an equalised linear layer gives one 512-d W+ row.
/// </summary>
public sealed class GradualStyleBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>PyTorch's default LeakyReLU slope, which the official block uses (not StyleGAN's 0.2).</summary>
    public const double NegativeSlope = 0.01;

    /// <summary>The head's <c>EqualLinear(512, 512, lr_mul=1)</c>.</summary>
    public const double LinearLrMul = 1.0;

    private readonly Sequential convs;
    private readonly EqualLinear linear;
    readonly long _outChannels;

    public GradualStyleBlock(long inChannels, long outChannels, long spatial) : base(nameof(GradualStyleBlock))
    {
        if (spatial < 2 || (spatial & (spatial - 1)) != 0)
            throw new ArgumentException($"style block spatial size {spatial} must be a power of two ≥ 2", nameof(spatial));
        int pools = (int)Math.Log2(spatial);
        var layers = new List<nn.Module<Tensor, Tensor>>();
        for (int i = 0; i < pools; i++)
        {
            layers.Add(new TailSafeConv2d(i == 0 ? inChannels : outChannels, outChannels, 3, stride: 2, padding: 1));
            layers.Add(new LeakyReLU(NegativeSlope));
        }
        convs = nn.Sequential(layers);
        linear = new EqualLinear(outChannels, outChannels, lrMul: LinearLrMul);
        _outChannels = outChannels;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var pooled = convs.call(x).view(-1, _outChannels);   // [B,out]
        return linear.call(pooled).MoveToOuterDisposeScope();            // [B,out]
    }
}
