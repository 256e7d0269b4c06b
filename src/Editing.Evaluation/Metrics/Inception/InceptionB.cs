using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Editing.Metrics.Inception;

/// <summary>torchvision <c>InceptionB</c> (Mixed_6a, unpatched): the 35→17 grid reduction.</summary>
public sealed class InceptionB : Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch3x3;
    private readonly BasicConv2d branch3x3dbl_1;
    private readonly BasicConv2d branch3x3dbl_2;
    private readonly BasicConv2d branch3x3dbl_3;

    public InceptionB(long inChannels) : base(nameof(InceptionB))
    {
        branch3x3 = new BasicConv2d(inChannels, 384, 3, stride: 2);
        branch3x3dbl_1 = new BasicConv2d(inChannels, 64, 1);
        branch3x3dbl_2 = new BasicConv2d(64, 96, 3, padding: 1);
        branch3x3dbl_3 = new BasicConv2d(96, 96, 3, stride: 2);
        RegisterComponents();
    }

    /// <summary>[B,C,H,W] → [B,480+C,(H−3)/2+1,…].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var b3 = branch3x3.call(x);
        var bd = branch3x3dbl_3.call(branch3x3dbl_2.call(branch3x3dbl_1.call(x)));
        var pool = InceptionPooling.MaxReduce(x);
        return cat([b3, bd, pool], 1).MoveToOuterDisposeScope();
    }
}
