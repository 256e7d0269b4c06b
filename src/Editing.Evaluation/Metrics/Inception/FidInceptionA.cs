using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Editing.Metrics.Inception;

/// <summary>pytorch-fid <c>FIDInceptionA</c> (Mixed_5b/5c/5d): torchvision InceptionA with a padding-excluding average pool.</summary>
public sealed class FidInceptionA : Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch1x1;
    private readonly BasicConv2d branch5x5_1;
    private readonly BasicConv2d branch5x5_2;
    private readonly BasicConv2d branch3x3dbl_1;
    private readonly BasicConv2d branch3x3dbl_2;
    private readonly BasicConv2d branch3x3dbl_3;
    private readonly BasicConv2d branch_pool;

    public FidInceptionA(long inChannels, long poolFeatures) : base(nameof(FidInceptionA))
    {
        branch1x1 = new BasicConv2d(inChannels, 64, 1);
        branch5x5_1 = new BasicConv2d(inChannels, 48, 1);
        branch5x5_2 = new BasicConv2d(48, 64, 5, padding: 2);
        branch3x3dbl_1 = new BasicConv2d(inChannels, 64, 1);
        branch3x3dbl_2 = new BasicConv2d(64, 96, 3, padding: 1);
        branch3x3dbl_3 = new BasicConv2d(96, 96, 3, padding: 1);
        branch_pool = new BasicConv2d(inChannels, poolFeatures, 1);
        RegisterComponents();
    }

    /// <summary>[B,C,H,W] → [B,224+pool_features,H,W].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var b1 = branch1x1.call(x);
        var b5 = branch5x5_2.call(branch5x5_1.call(x));
        var b3 = branch3x3dbl_3.call(branch3x3dbl_2.call(branch3x3dbl_1.call(x)));
        var pool = branch_pool.call(InceptionPooling.AverageSame(x));
        return cat([b1, b5, b3, pool], 1).MoveToOuterDisposeScope();
    }
}
