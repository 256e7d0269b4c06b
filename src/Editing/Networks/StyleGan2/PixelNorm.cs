using Pipeline.Editing.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// Normalises each latent to unit root-mean-square over dim 1. rosinality: <c>x·rsqrt(mean(x²)+1e-8)</c>;
/// mmgen: <c>x / (‖x‖₂/√C + 1e-6)</c> (same value up to rounding and the epsilon).
/// </summary>
public sealed class PixelNorm : nn.Module<Tensor, Tensor>
{
    public const double RosinalityEpsilon = 1e-8;
    public const double MmgenEpsilon = 1e-6;
    static readonly Scalar RosinalityEps = RosinalityEpsilon, MmgenEps = MmgenEpsilon;

    readonly EqualizedLrMode _mode;

    public PixelNorm(EqualizedLrMode mode = EqualizedLrMode.RosinalityDouble) : base(nameof(PixelNorm))
    {
        _mode = mode;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor y;
        if (_mode == EqualizedLrMode.RosinalityDouble)
        {
            y = x * (x * x).mean(new long[] { 1 }, keepdim: true).Plus(RosinalityEps).rsqrt();
        }
        else
        {
            var norm = linalg.norm(x, 2, new long[] { 1 }, keepdim: true);
            norm = norm / tensor((float)x.shape[1], x.dtype, x.device).sqrt();
            y = x / norm.Plus(MmgenEps);
        }
        return y.MoveToOuterDisposeScope();
    }
}
