using Pipeline.Editing.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Editing.Networks.DiffCam;

/// <summary>torchvision <c>Bottleneck</c> v1.5 (ResNet-50+): 1×1 → 3×3 (carries the stride) → 1×1 ×expansion, each with BN.</summary>
public sealed class Bottleneck : Module<Tensor, Tensor>
{
    private readonly TailSafeConv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly TailSafeConv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly TailSafeConv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly Sequential? downsample;

    public Bottleneck(long inChannels, long planes, long outChannels, long stride, Sequential? downsample) : base(nameof(Bottleneck))
    {
        conv1 = new TailSafeConv2d(inChannels, planes, 1, bias: false);
        bn1 = BatchNorm2d(planes);
        conv2 = new TailSafeConv2d(planes, planes, 3, stride: stride, padding: 1, bias: false);
        bn2 = BatchNorm2d(planes);
        conv3 = new TailSafeConv2d(planes, outChannels, 1, bias: false);
        bn3 = BatchNorm2d(outChannels);
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var identity = downsample is null ? x : downsample.call(x);
        var y = functional.relu(bn1.call(conv1.call(x)));
        y = functional.relu(bn2.call(conv2.call(y)));
        y = bn3.call(conv3.call(y));
        return functional.relu(y.Plus(identity)).MoveToOuterDisposeScope();
    }
}
