using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Editing.Metrics.Inception;

/// <summary>torchvision Inception's <c>BasicConv2d</c>: conv (no bias) → BatchNorm (eps 0.001, as the TF graph) → ReLU.</summary>
public sealed class BasicConv2d : Module<Tensor, Tensor>
{
    /// <summary>The TF inception-2015-12-05 graph's BatchNorm epsilon, kept by torchvision and pytorch-fid.</summary>
    public const double BatchNormEps = 0.001;

    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;

    public BasicConv2d(long inChannels, long outChannels, (long H, long W) kernel, (long H, long W)? stride = null, (long H, long W)? padding = null)
        : base(nameof(BasicConv2d))
    {
        conv = Conv2d(inChannels, outChannels, kernel, stride: stride ?? (1, 1), padding: padding ?? (0, 0), bias: false);
        bn = BatchNorm2d(outChannels, eps: BatchNormEps);
        RegisterComponents();
    }

    public BasicConv2d(long inChannels, long outChannels, long kernel, long stride = 1, long padding = 0)
        : this(inChannels, outChannels, (kernel, kernel), (stride, stride), (padding, padding)) { }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return functional.relu(bn.call(conv.call(x))).MoveToOuterDisposeScope();
    }
}
