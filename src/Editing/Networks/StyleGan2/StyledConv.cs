using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>One synthesis layer: modulated conv (optionally 2× up), noise injection, fused leaky ReLU.</summary>
public sealed class StyledConv : nn.Module<Tensor, Tensor, Tensor?, Tensor>
{
    readonly ModulatedConv2d conv;
    readonly NoiseInjection noise;
    readonly FusedLeakyReLU activate;

    public StyledConv(long inChannels, long outChannels, int kernelSize, long styleDim, bool upsample = false,
        IReadOnlyList<double>? blurKernel = null, bool demodulate = true, EqualizedLrMode mode = EqualizedLrMode.RosinalityDouble)
        : base(nameof(StyledConv))
    {
        conv = new ModulatedConv2d(inChannels, outChannels, kernelSize, styleDim, demodulate, upsample, blurKernel, mode);
        noise = new NoiseInjection();
        activate = new FusedLeakyReLU(outChannels);
        RegisterComponents();
    }

    public ModulatedConv2d Conv => conv;
    public NoiseInjection Noise => noise;
    public FusedLeakyReLU Activate => activate;

    /// <param name="x">[B,in,H,W]</param>
    /// <param name="style">[B,style_dim]: the W+ row of this layer</param>
    /// <param name="noiseMap">[1 or B,1,H',W'] at the output size; null draws fresh noise</param>
    public override Tensor forward(Tensor x, Tensor style, Tensor? noiseMap)
    {
        using var scope = NewDisposeScope();
        var y = conv.call(x, style);
        if (is_grad_enabled())
        {
            y = noise.call(y, noiseMap);
            y = activate.call(y);
        }
        else
        {
            // y is this layer's own intermediate, so inference may overwrite it instead of allocating two more maps.
            noise.ForwardInPlace(y, noiseMap);
            activate.ForwardInPlace(y);
        }
        return y.MoveToOuterDisposeScope();
    }
}
