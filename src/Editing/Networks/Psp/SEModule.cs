using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Psp;

/// <summary>Squeeze-and-excitation: a channel gate from the global average, <c>x · σ(fc2(relu(fc1(mean(x)))))</c>.</summary>
public sealed class SEModule : nn.Module<Tensor, Tensor>
{
    private readonly TailSafeConv2d fc1;
    private readonly TailSafeConv2d fc2;

    public SEModule(long channels, long reduction) : base(nameof(SEModule))
    {
        if (channels % reduction != 0) throw new ArgumentException($"SE channels {channels} are not divisible by the reduction {reduction}", nameof(channels));
        fc1 = new TailSafeConv2d(channels, channels / reduction, 1, bias: false);
        fc2 = new TailSafeConv2d(channels / reduction, channels, 1, bias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var squeezed = nn.functional.adaptive_avg_pool2d(x, 1);           // [B,C,1,1]
        var gate = fc2.call(nn.functional.relu(fc1.call(squeezed))).sigmoid_();
        return (x * gate).MoveToOuterDisposeScope();                                  // [B,C,H,W]
    }
}
