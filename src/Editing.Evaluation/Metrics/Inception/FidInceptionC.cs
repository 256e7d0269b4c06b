using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Editing.Metrics.Inception;

/// <summary>pytorch-fid <c>FIDInceptionC</c> (Mixed_6b…6e): factorised 7×7 branches, padding-excluding average pool.</summary>
public sealed class FidInceptionC : Module<Tensor, Tensor>
{
    const long BranchWidth = 192;

    private readonly BasicConv2d branch1x1;
    private readonly BasicConv2d branch7x7_1;
    private readonly BasicConv2d branch7x7_2;
    private readonly BasicConv2d branch7x7_3;
    private readonly BasicConv2d branch7x7dbl_1;
    private readonly BasicConv2d branch7x7dbl_2;
    private readonly BasicConv2d branch7x7dbl_3;
    private readonly BasicConv2d branch7x7dbl_4;
    private readonly BasicConv2d branch7x7dbl_5;
    private readonly BasicConv2d branch_pool;

    public FidInceptionC(long inChannels, long channels7x7) : base(nameof(FidInceptionC))
    {
        var c7 = channels7x7;
        branch1x1 = new BasicConv2d(inChannels, BranchWidth, 1);
        branch7x7_1 = new BasicConv2d(inChannels, c7, 1);
        branch7x7_2 = new BasicConv2d(c7, c7, (1, 7), padding: (0, 3));
        branch7x7_3 = new BasicConv2d(c7, BranchWidth, (7, 1), padding: (3, 0));
        branch7x7dbl_1 = new BasicConv2d(inChannels, c7, 1);
        branch7x7dbl_2 = new BasicConv2d(c7, c7, (7, 1), padding: (3, 0));
        branch7x7dbl_3 = new BasicConv2d(c7, c7, (1, 7), padding: (0, 3));
        branch7x7dbl_4 = new BasicConv2d(c7, c7, (7, 1), padding: (3, 0));
        branch7x7dbl_5 = new BasicConv2d(c7, BranchWidth, (1, 7), padding: (0, 3));
        branch_pool = new BasicConv2d(inChannels, BranchWidth, 1);
        RegisterComponents();
    }

    /// <summary>[B,768,17,17] → [B,768,17,17].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var b1 = branch1x1.call(x);
        var b7 = branch7x7_3.call(branch7x7_2.call(branch7x7_1.call(x)));
        var bd = branch7x7dbl_5.call(branch7x7dbl_4.call(branch7x7dbl_3.call(branch7x7dbl_2.call(branch7x7dbl_1.call(x)))));
        var pool = branch_pool.call(InceptionPooling.AverageSame(x));
        return cat([b1, b7, bd, pool], 1).MoveToOuterDisposeScope();
    }
}
