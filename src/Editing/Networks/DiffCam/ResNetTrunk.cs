using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Editing.Networks.DiffCam;

/// <summary>
/// The pieces of a torchvision ResNet in its child order (conv1, bn1, relu, maxpool, layer1..layer4, avgpool), built
/// loose so that a network may regroup them (DiffCam splits layer3 between its shared trunk and its classifier).
/// </summary>
public static class ResNetTrunk
{
    const long StemKernel = 7, StemStride = 2, StemPadding = 3;
    const long PoolKernel = 3, PoolStride = 2, PoolPadding = 1;

    /// <summary>conv1 (7×7 stride 2), bn1, relu, maxpool (3×3 stride 2): the four stem children.</summary>
    public static Module<Tensor, Tensor>[] Stem(ResNetLayout layout, long inChannels) =>
    [
        new TailSafeConv2d(inChannels, layout.BaseWidth, StemKernel, stride: StemStride, padding: StemPadding, bias: false),
        BatchNorm2d(layout.BaseWidth),
        ReLU(),
        MaxPool2d(PoolKernel, stride: PoolStride, padding: PoolPadding),
    ];

    /// <summary>The blocks of stage <paramref name="stage"/> (torchvision <c>_make_layer</c>): stride 2 on the first block of stages 2–4.</summary>
    public static List<Module<Tensor, Tensor>> Stage(ResNetLayout layout, int stage)
    {
        long planes = layout.Planes(stage);
        long outChannels = layout.StageOutChannels(stage);
        long inChannels = stage == 0 ? layout.BaseWidth : layout.StageOutChannels(stage - 1);
        long stride = stage == 0 ? 1 : 2;
        var blocks = new List<Module<Tensor, Tensor>>();
        for (int b = 0; b < layout.BlocksPerStage[stage]; b++)
        {
            long blockIn = b == 0 ? inChannels : outChannels;
            long blockStride = b == 0 ? stride : 1;
            var downsample = blockStride != 1 || blockIn != outChannels
                ? Sequential(new TailSafeConv2d(blockIn, outChannels, 1, stride: blockStride, bias: false), BatchNorm2d(outChannels))
                : null;
            blocks.Add(layout.Block == ResNetBlockKind.Bottleneck
                ? new Bottleneck(blockIn, planes, outChannels, blockStride, downsample)
                : new BasicBlock(blockIn, planes, blockStride, downsample));
        }
        return blocks;
    }

    /// <summary>torchvision's <c>avgpool</c>: global average to 1×1.</summary>
    public static AdaptiveAvgPool2d AvgPool() => AdaptiveAvgPool2d(1);
}
