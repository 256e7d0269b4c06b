using Pipeline.Editing.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Deghosting;

/// <summary>Residual-in-residual dense block: three dense blocks in a row, with a scaled outer residual.</summary>
public sealed class Rrdb : nn.Module<Tensor, Tensor>
{
    private readonly ResidualDenseBlock rdb1, rdb2, rdb3;

    public Rrdb(int numMid, int numGrow) : base(nameof(Rrdb))
    {
        rdb1 = new ResidualDenseBlock(numMid, numGrow);
        rdb2 = new ResidualDenseBlock(numMid, numGrow);
        rdb3 = new ResidualDenseBlock(numMid, numGrow);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = rdb3.call(rdb2.call(rdb1.call(x)));
        return (y * ResidualDenseBlock.ResidualScaling).Plus(x).MoveToOuterDisposeScope();
    }
}
