using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Pipeline.Editing.Runtime;

namespace Pipeline.Editing.Networks.Psp;

/// <summary>
/// pSp's <c>bottleneck_IR_SE</c>: <c>res_layer(x) + shortcut_layer(x)</c> with no final activation.
/// The residual is BN → conv3×3 → PReLU → conv3×3 (stride) → BN → SE; the shortcut subsamples when the width is
/// unchanged and is a strided 1×1 conv + BN otherwise.
/// </summary>
public sealed class BottleneckIrSe : nn.Module<Tensor, Tensor>
{
    /// <summary>The squeeze-and-excitation reduction of every IR-SE unit.</summary>
    public const int SeReduction = 16;

    private readonly nn.Module<Tensor, Tensor> shortcut_layer;
    private readonly Sequential res_layer;

    public BottleneckIrSe(long inChannels, long depth, long stride) : base(nameof(BottleneckIrSe))
    {
        shortcut_layer = inChannels == depth
            ? new StridedSubsample(stride)
            : nn.Sequential(
                new TailSafeConv2d(inChannels, depth, 1, stride: stride, bias: false),
                nn.BatchNorm2d(depth));
        res_layer = nn.Sequential(
            nn.BatchNorm2d(inChannels),
            new TailSafeConv2d(inChannels, depth, 3, stride: 1, padding: 1, bias: false),
            new PReLU(depth),
            new TailSafeConv2d(depth, depth, 3, stride: stride, padding: 1, bias: false),
            nn.BatchNorm2d(depth),
            new SEModule(depth, SeReduction));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var shortcut = shortcut_layer.call(x);   // [B,depth,H/s,W/s]
        var residual = res_layer.call(x);        // [B,depth,H/s,W/s]
        return residual.add_(shortcut, alpha: Scalars.One).MoveToOuterDisposeScope();
    }
}
