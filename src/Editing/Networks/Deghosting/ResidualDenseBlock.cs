using Pipeline.Editing.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Deghosting;

/// <summary>
/// ESRGAN residual dense block: five 3×3 convs, each seeing the block input and every earlier output,
/// then a residual scaled by <see cref="ResidualScale"/>.
/// </summary>
public sealed class ResidualDenseBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>ESRGAN's residual scaling, which keeps a deep stack of blocks stable.</summary>
    public const double ResidualScale = 0.2;
    internal const double NegativeSlope = 0.2;
    internal static readonly Scalar ResidualScaling = ResidualScale, Slope = NegativeSlope;

    private readonly TailSafeConv2d conv1, conv2, conv3, conv4, conv5;

    public ResidualDenseBlock(int numMid, int numGrow) : base(nameof(ResidualDenseBlock))
    {
        conv1 = new TailSafeConv2d(numMid, numGrow, 3, padding: 1);
        conv2 = new TailSafeConv2d(numMid + numGrow, numGrow, 3, padding: 1);
        conv3 = new TailSafeConv2d(numMid + 2 * numGrow, numGrow, 3, padding: 1);
        conv4 = new TailSafeConv2d(numMid + 3 * numGrow, numGrow, 3, padding: 1);
        conv5 = new TailSafeConv2d(numMid + 4 * numGrow, numMid, 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x1 = Lrelu(conv1.call(x));                             // [B, grow, H, W]
        var x2 = Lrelu(conv2.call(cat([x, x1], 1)));
        var x3 = Lrelu(conv3.call(cat([x, x1, x2], 1)));
        var x4 = Lrelu(conv4.call(cat([x, x1, x2, x3], 1)));
        var x5 = conv5.call(cat([x, x1, x2, x3, x4], 1));          // [B, mid, H, W]
        return (x5 * ResidualScaling).Plus(x).MoveToOuterDisposeScope();
    }

    static Tensor Lrelu(Tensor t) => t.leaky_relu(Slope);
}
