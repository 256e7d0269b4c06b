using Pipeline.Editing.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// StyleGAN2 weight modulation/demodulation: <c>s = modulation(w) [B,in]</c>,
/// <c>W = weight/√(in·k²) · s</c> per sample, <c>W ·= rsqrt(Σ_{in,kh,kw} W² + 1e-8)</c> when demodulating, then a
/// per-sample convolution with padding k/2 — or, when upsampling, a stride-2 transposed convolution (2H+1) followed by
/// the blur with pad (1,1) and kernel <c>make_kernel·4</c> (2H).
/// <para>
/// In training mode the same arithmetic runs in StyleGAN2's non-fused form (NVIDIA's <c>fused_modconv=False</c>): the
/// input is scaled by <c>s</c>, convolved with the shared weight as one batch, and the output scaled by the
/// demodulation factors. Per-sample weights would cost one small convolution per sample forward and backward; the
/// batched form trains several times faster on CPU. Evaluation (and parity) keeps the reference's per-sample weights.
/// </para>
/// </summary>
public sealed class ModulatedConv2d : nn.Module<Tensor, Tensor, Tensor>
{
    public const double DemodulationEpsilon = 1e-8;
    static readonly Scalar DemodulationEps = DemodulationEpsilon;
    const int UpFactor = 2;

    readonly Parameter weight;
    readonly Blur? blur;
    readonly EqualLinear modulation;

    readonly long _in;
    readonly long _out;
    readonly long _k;
    readonly bool _demodulate;
    readonly bool _upsample;
    readonly EqualizedLrMode _mode;

    public ModulatedConv2d(long inChannels, long outChannels, int kernelSize, long styleDim, bool demodulate = true,
        bool upsample = false, IReadOnlyList<double>? blurKernel = null, EqualizedLrMode mode = EqualizedLrMode.RosinalityDouble)
        : base(nameof(ModulatedConv2d))
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || styleDim <= 0)
            throw new ArgumentException($"ModulatedConv2d({inChannels}, {outChannels}, k={kernelSize}, style={styleDim}): sizes must be positive");
        _in = inChannels;
        _out = outChannels;
        _k = kernelSize;
        _demodulate = demodulate;
        _upsample = upsample;
        _mode = mode;
        if (upsample)
        {
            var k = blurKernel ?? StyleGan2Config.DefaultBlurKernel;
            // p = (len(k) − factor) − (kernel_size − 1); pads ((p+1)/2 + factor − 1, p/2 + 1) bring 2H+1 back to 2H.
            int p = (k.Count - UpFactor) - (kernelSize - 1);
            blur = new Blur(k, FirKernel.FloorDiv(p + 1, 2) + UpFactor - 1, FirKernel.FloorDiv(p, 2) + 1, UpFactor);
        }
        weight = new Parameter(randn(new long[] { 1, outChannels, inChannels, kernelSize, kernelSize }));
        modulation = new EqualLinear(styleDim, inChannels, biasInit: 1, mode: mode);
        RegisterComponents();
    }

    public Parameter Weight => weight;
    public EqualLinear Modulation => modulation;
    public Blur? BlurLayer => blur;
    public bool Upsamples => _upsample;
    public long InChannels => _in;
    public long OutChannels => _out;

    /// <param name="x">[B,in,H,W]</param>
    /// <param name="style">[B,style_dim]</param>
    /// <returns>[B,out,H,W], or [B,out,2H,2W] when upsampling</returns>
    public override Tensor forward(Tensor x, Tensor style)
    {
        if (x.dim() != 4 || x.shape[1] != _in)
            throw new ArgumentException($"ModulatedConv2d expects [B,{_in},H,W], got [{string.Join(",", x.shape)}]", nameof(x));
        using var scope = NewDisposeScope();
        long b = x.shape[0];
        var s = modulation.call(style);                                                    // [B,in]
        if (training && b > 1) return NonFused(x, s).MoveToOuterDisposeScope();
        var w = EqualizedLr.Scale(weight, _in * _k * _k, 1, _mode) * s.view(b, 1, _in, 1, 1); // [B,out,in,k,k]
        if (_demodulate)
        {
            var demod = (w * w).sum(new long[] { 2, 3, 4 }).Plus(DemodulationEps).rsqrt(); // [B,out]
            w = w * demod.view(b, _out, 1, 1, 1);
        }
        var y = _upsample ? blur!.call(TransposedConv(x, w)) : Conv(x, w);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>conv(x·s, W)·d with d = rsqrt(Σ_{in,k,k} (W·s)² + ε): the modulated convolution with a shared weight.</summary>
    Tensor NonFused(Tensor x, Tensor s)
    {
        long b = x.shape[0];
        var w = EqualizedLr.Scale(weight, _in * _k * _k, 1, _mode).view(_out, _in, _k, _k);   // [out,in,k,k]
        var y = x * s.view(b, _in, 1, 1);
        y = _upsample
            ? ChannelTailConv.ConvTranspose2d(y, w.transpose(0, 1), UpFactor)
            : ChannelTailConv.Conv2d(y, w, null, 1, _k / 2);
        if (_demodulate)
        {
            var demod = (s * s).matmul((w * w).sum(new long[] { 2, 3 }).t()).Plus(DemodulationEps).rsqrt();   // [B,out]
            y = y * demod.view(b, _out, 1, 1);
        }
        return _upsample ? blur!.call(y) : y;
    }

    /// <summary>
    /// Same-size convolution, one weight per sample. The reference runs a grouped conv (groups = B); a loop over samples
    /// with groups = 1 is the same arithmetic and faster on CPU (measured at B = 4), and it makes each sample's result
    /// independent of the batch it travels in.
    /// </summary>
    Tensor Conv(Tensor x, Tensor w)
    {
        return PerSample(x, w, (xi, wi) => ChannelTailConv.Conv2d(xi, wi.view(_out, _in, _k, _k), null, 1, _k / 2));
    }

    /// <summary>Stride-2 transposed convolution, one weight per sample: [B,in,H,W] → [B,out,2H+1,2W+1] for k = 3.</summary>
    Tensor TransposedConv(Tensor x, Tensor w)
    {
        // conv_transpose2d wants [in,out,k,k]: the per-sample [out,in,k,k] weight transposed.
        return PerSample(x, w, (xi, wi) => ChannelTailConv.ConvTranspose2d(xi, wi.view(_out, _in, _k, _k).transpose(0, 1), UpFactor));
    }

    static Tensor PerSample(Tensor x, Tensor w, Func<Tensor, Tensor, Tensor> op)
    {
        long b = x.shape[0];
        if (b == 1) return op(x, w[0]);
        return cat(Enumerable.Range(0, (int)b).Select(i => op(x.narrow(0, i, 1), w[i])).ToList(), 0);
    }
}
