using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks;

/// <summary>
/// <c>nn.LeakyReLU</c> with its slope held as a Scalar. TorchSharp 0.107's module converts its double slope to a
/// Scalar on every forward, which a collection on another thread can free while libtorch reads it. No parameters, so
/// it takes TorchSharp's module's place in a Sequential without changing any state_dict key.
/// </summary>
public sealed class LeakyReLU : nn.Module<Tensor, Tensor>
{
    readonly Scalar _slope;

    public LeakyReLU(double negativeSlope) : base(nameof(LeakyReLU)) => _slope = negativeSlope;

    public override Tensor forward(Tensor x) => x.leaky_relu(_slope);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _slope.Dispose();
        base.Dispose(disposing);
    }
}
