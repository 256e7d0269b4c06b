using Pipeline.Editing.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Editing.Networks.DiffCam;

/// <summary>torchvision <c>BasicBlock</c> (ResNet-18/34): two 3×3 convs with BN, the stride on the first.</summary>
public sealed class BasicBlock : Module<Tensor, Tensor>
{
    private readonly TailSafeConv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly TailSafeConv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;

    public BasicBlock(long inChannels, long planes, long stride, Sequential? downsample) : base(nameof(BasicBlock))
    {
        conv1 = new TailSafeConv2d(inChannels, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(planes);
        conv2 = new TailSafeConv2d(planes, planes, 3, padding: 1, bias: false);
        bn2 = BatchNorm2d(planes);
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var identity = downsample is null ? x : downsample.call(x);
        var y = functional.relu(bn1.call(conv1.call(x)));
        y = bn2.call(conv2.call(y));
        return functional.relu(y.Plus(identity)).MoveToOuterDisposeScope();
    }
}
