using Pipeline.Editing.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Deghosting;

/// <summary>
/// GLEAN's first encoder stage (mmedit's <c>RRDBNet</c> trunk): an RRDB trunk at the input resolution with a long skip,
/// then a conv to the channel width of the pyramid's first level and a leaky ReLU. No upsampling despite the name
/// <c>conv_up</c>.
/// </summary>
public sealed class RrdbNet : nn.Module<Tensor, Tensor>
{
    private readonly TailSafeConv2d conv_first;
    private readonly Sequential body;
    private readonly TailSafeConv2d conv_body;
    private readonly TailSafeConv2d conv_up;

    public RrdbNet(int numIn, int numMid, int numOut, int numBlocks, int numGrow) : base(nameof(RrdbNet))
    {
        conv_first = new TailSafeConv2d(numIn, numMid, 3, padding: 1);
        body = nn.Sequential(Enumerable.Range(0, numBlocks)
            .Select(i => ($"{i}", (nn.Module<Tensor, Tensor>)new Rrdb(numMid, numGrow))));
        conv_body = new TailSafeConv2d(numMid, numMid, 3, padding: 1);
        conv_up = new TailSafeConv2d(numMid, numOut, 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var feat = conv_first.call(x);                              // [B, mid, H, W]
        feat = feat.Plus(conv_body.call(body.call(feat)));
        var output = conv_up.call(feat).leaky_relu(ResidualDenseBlock.Slope); // [B, out, H, W]
        return output.MoveToOuterDisposeScope();
    }
}
