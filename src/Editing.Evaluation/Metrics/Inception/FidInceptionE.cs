using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Editing.Metrics.Inception;

/// <summary>Which pool the E block's pool branch uses: the TF graph average-pools in Mixed_7b and max-pools in Mixed_7c.</summary>
public enum InceptionEPool
{
    /// <summary>pytorch-fid <c>FIDInceptionE_1</c>: average, padding excluded.</summary>
    Average,
    /// <summary>pytorch-fid <c>FIDInceptionE_2</c>: max.</summary>
    Max,
}

/// <summary>pytorch-fid <c>FIDInceptionE_1</c>/<c>_2</c> (Mixed_7b/7c): expanded filter bank with split 1×3/3×1 outputs.</summary>
public sealed class FidInceptionE : Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch1x1;
    private readonly BasicConv2d branch3x3_1;
    private readonly BasicConv2d branch3x3_2a;
    private readonly BasicConv2d branch3x3_2b;
    private readonly BasicConv2d branch3x3dbl_1;
    private readonly BasicConv2d branch3x3dbl_2;
    private readonly BasicConv2d branch3x3dbl_3a;
    private readonly BasicConv2d branch3x3dbl_3b;
    private readonly BasicConv2d branch_pool;

    readonly InceptionEPool _pool;

    public FidInceptionE(long inChannels, InceptionEPool pool) : base(nameof(FidInceptionE))
    {
        _pool = pool;
        branch1x1 = new BasicConv2d(inChannels, 320, 1);
        branch3x3_1 = new BasicConv2d(inChannels, 384, 1);
        branch3x3_2a = new BasicConv2d(384, 384, (1, 3), padding: (0, 1));
        branch3x3_2b = new BasicConv2d(384, 384, (3, 1), padding: (1, 0));
        branch3x3dbl_1 = new BasicConv2d(inChannels, 448, 1);
        branch3x3dbl_2 = new BasicConv2d(448, 384, 3, padding: 1);
        branch3x3dbl_3a = new BasicConv2d(384, 384, (1, 3), padding: (0, 1));
        branch3x3dbl_3b = new BasicConv2d(384, 384, (3, 1), padding: (1, 0));
        branch_pool = new BasicConv2d(inChannels, 192, 1);
        RegisterComponents();
    }

    /// <summary>[B,C,8,8] → [B,2048,8,8].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var b1 = branch1x1.call(x);
        var b3 = branch3x3_1.call(x);
        b3 = cat([branch3x3_2a.call(b3), branch3x3_2b.call(b3)], 1);
        var bd = branch3x3dbl_2.call(branch3x3dbl_1.call(x));
        bd = cat([branch3x3dbl_3a.call(bd), branch3x3dbl_3b.call(bd)], 1);
        var pooled = _pool == InceptionEPool.Max ? InceptionPooling.MaxSame(x) : InceptionPooling.AverageSame(x);
        var pool = branch_pool.call(pooled);
        return cat([b1, b3, bd, pool], 1).MoveToOuterDisposeScope();
    }
}
