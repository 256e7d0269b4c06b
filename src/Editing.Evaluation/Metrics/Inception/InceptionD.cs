using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Editing.Metrics.Inception;

/// <summary>torchvision <c>InceptionD</c> (Mixed_7a, unpatched): the 17→8 grid reduction.</summary>
public sealed class InceptionD : Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch3x3_1;
    private readonly BasicConv2d branch3x3_2;
    private readonly BasicConv2d branch7x7x3_1;
    private readonly BasicConv2d branch7x7x3_2;
    private readonly BasicConv2d branch7x7x3_3;
    private readonly BasicConv2d branch7x7x3_4;

    public InceptionD(long inChannels) : base(nameof(InceptionD))
    {
        branch3x3_1 = new BasicConv2d(inChannels, 192, 1);
        branch3x3_2 = new BasicConv2d(192, 320, 3, stride: 2);
        branch7x7x3_1 = new BasicConv2d(inChannels, 192, 1);
        branch7x7x3_2 = new BasicConv2d(192, 192, (1, 7), padding: (0, 3));
        branch7x7x3_3 = new BasicConv2d(192, 192, (7, 1), padding: (3, 0));
        branch7x7x3_4 = new BasicConv2d(192, 192, 3, stride: 2);
        RegisterComponents();
    }

    /// <summary>[B,768,17,17] → [B,1280,8,8].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var b3 = branch3x3_2.call(branch3x3_1.call(x));
        var b7 = branch7x7x3_4.call(branch7x7x3_3.call(branch7x7x3_2.call(branch7x7x3_1.call(x))));
        var pool = InceptionPooling.MaxReduce(x);
        return cat([b3, b7, pool], 1).MoveToOuterDisposeScope();
    }
}
