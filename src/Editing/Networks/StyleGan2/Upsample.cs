using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// 2× FIR upsampling of the RGB skip path (ToRGB): buffer <c>kernel = make_kernel(k)·factor²</c>,
/// <c>p = kh − factor</c>, pad <c>((p+1)/2 + factor − 1, p/2)</c>, giving exactly <c>factor·H</c>.
/// </summary>
public sealed class Upsample : nn.Module<Tensor, Tensor>
{
    readonly int _factor;
    readonly int _padBefore;
    readonly int _padAfter;

    public Upsample(IReadOnlyList<double> kernel, int factor = 2) : base(nameof(Upsample))
    {
        _factor = factor;
        int p = kernel.Count - factor;
        _padBefore = FirKernel.FloorDiv(p + 1, 2) + factor - 1;
        _padAfter = FirKernel.FloorDiv(p, 2);
        register_buffer("kernel", FirKernel.Make(kernel, factor * factor));
        RegisterComponents();
    }

    public Tensor Kernel => get_buffer("kernel")!;

    public override Tensor forward(Tensor x) => Upfirdn2d.Apply(x, Kernel, up: _factor, padBefore: _padBefore, padAfter: _padAfter);
}
