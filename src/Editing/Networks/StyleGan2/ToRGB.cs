using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Pipeline.Editing.Runtime;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// Projects features to RGB with a non-demodulated 1×1 modulated conv plus <c>bias [1,3,1,1]</c>, and adds the
/// 2×-upsampled RGB of the previous resolution (the skip architecture).
/// </summary>
public sealed class ToRGB : nn.Module<Tensor, Tensor, Tensor?, Tensor>
{
    public const int RgbChannels = 3;

    readonly Upsample? upsample;
    readonly ModulatedConv2d conv;
    readonly Parameter bias;

    public ToRGB(long inChannels, long styleDim, bool upsample = true, IReadOnlyList<double>? blurKernel = null,
        EqualizedLrMode mode = EqualizedLrMode.RosinalityDouble) : base(nameof(ToRGB))
    {
        if (upsample) this.upsample = new Upsample(blurKernel ?? StyleGan2Config.DefaultBlurKernel);
        conv = new ModulatedConv2d(inChannels, RgbChannels, 1, styleDim, demodulate: false, mode: mode);
        bias = new Parameter(zeros(1, RgbChannels, 1, 1));
        RegisterComponents();
    }

    public ModulatedConv2d Conv => conv;
    public Parameter Bias => bias;

    /// <param name="x">[B,in,H,W]</param>
    /// <param name="style">[B,style_dim]</param>
    /// <param name="skip">[B,3,H/2,W/2] from the previous resolution, or null at the first one</param>
    /// <returns>[B,3,H,W]</returns>
    public override Tensor forward(Tensor x, Tensor style, Tensor? skip)
    {
        using var scope = NewDisposeScope();
        if (skip is not null && upsample is null) throw new InvalidOperationException("this ToRGB has no upsampler, so it cannot take a skip input");
        var y = conv.call(x, style);
        bool inPlace = !is_grad_enabled();   // y is this layer's own intermediate
        y = inPlace ? y.add_(bias, alpha: Scalars.One) : y.Plus(bias);
        if (skip is not null)
        {
            var up = upsample!.call(skip);
            y = inPlace ? y.add_(up, alpha: Scalars.One) : y.Plus(up);
        }
        return y.MoveToOuterDisposeScope();
    }
}
