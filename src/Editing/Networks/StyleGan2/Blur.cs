using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// FIR low-pass filter: <c>upfirdn2d(x, kernel, pad)</c> with the persistent buffer <c>kernel = make_kernel(k)·factor²</c>
/// (the factor restores the gain lost to zero insertion when the blur follows a 2× transposed conv).
/// </summary>
public sealed class Blur : nn.Module<Tensor, Tensor>
{
    readonly int _padBefore;
    readonly int _padAfter;

    public Blur(IReadOnlyList<double> kernel, int padBefore, int padAfter, int upsampleFactor = 1) : base(nameof(Blur))
    {
        _padBefore = padBefore;
        _padAfter = padAfter;
        register_buffer("kernel", FirKernel.Make(kernel, upsampleFactor * upsampleFactor));
        RegisterComponents();
    }

    public Tensor Kernel => get_buffer("kernel")!;

    public override Tensor forward(Tensor x) => Upfirdn2d.Apply(x, Kernel, padBefore: _padBefore, padAfter: _padAfter);
}
