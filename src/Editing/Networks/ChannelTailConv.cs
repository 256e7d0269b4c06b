using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Pipeline.Editing.Networks;

/// <summary>
/// <c>conv2d</c> with every channel tail topped up with zeros before it reaches oneDNN, so no kernel reads a padding
/// lane. libtorch's oneDNN (v3.7.1) stores tensors in blocked layouts padded to 8 channels (AVX, AVX2) or 16 (AVX-512)
/// and its kernels assume the padding lanes are zero. On a 2-core AMD EPYC with AVX-512 (2026-12-07) they held
/// whatever the memory held before: after a NaN-filled tensor had been freed, a 3×3 convolution over 17 input channels
/// returned NaN (over 12 channels under the AVX2 cap the tests use, <c>OneDnnIsa</c>), and the input gradient of any
/// 3×3 convolution with 3, 4 or 20 output channels came back NaN or 20–100 % off, whatever its input channels. SSE4.1
/// kernels (<c>ONEDNN_MAX_CPU_ISA=SSE41</c>) were exact, and so were, here, weight gradients, 1×1 kernels and inputs of
/// at most <see cref="PlainLayoutChannels"/> channels, which oneDNN keeps in the plain layout.
/// So input channels with a tail get zero channels (and zero weight columns) up to a multiple of
/// <see cref="ChannelBlock"/>, and, when the input gradient will be computed, output channels get zero filters that
/// are cut off again: the same sums, and gradients that flow back only through the real channels.
/// </summary>
public static class ChannelTailConv
{
    /// <summary>The channel block of oneDNN's blocked layouts (8 for AVX2, 16 for AVX-512): a multiple of both.</summary>
    public const long ChannelBlock = 16;

    /// <summary>Input channels oneDNN keeps in the plain layout, with no padding to read.</summary>
    public const long PlainLayoutChannels = 8;

    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, long stride, long padding) =>
        WithTopUps(x, weight, bias, transposed: false,
            (input, filters, shift) => F.conv2d(input, filters, shift, strides: [stride, stride], padding: [padding, padding]));

    /// <summary>
    /// <c>conv2d(cat(parts, 1))</c> with the zero channels concatenated in the same copy, so a tail costs no second
    /// copy of the input (at 1024² the deghosting network's RGB skip fusion concatenates 35 channels: 140 MB per image).
    /// </summary>
    public static Tensor Conv2dOfConcatenation(IReadOnlyList<Tensor> parts, Tensor weight, Tensor? bias, long stride, long padding)
    {
        long channels = parts.Sum(p => p.shape[1]);
        long inTopUp = channels <= PlainLayoutChannels ? 0 : TopUp(channels);
        using var scope = NewDisposeScope();
        if (inTopUp == 0) return Conv2d(cat(parts.ToList(), 1), weight, bias, stride, padding).MoveToOuterDisposeScope();
        var first = parts[0];
        var fill = zeros([first.shape[0], inTopUp, first.shape[2], first.shape[3]], first.dtype, first.device);
        var x = cat([.. parts, fill], 1);
        var filters = F.pad(weight, [0, 0, 0, 0, 0, inTopUp]);
        return Conv2d(x, filters, bias, stride, padding).MoveToOuterDisposeScope();
    }

    /// <summary><c>conv_transpose2d</c> (weight <c>[in,out,k,k]</c>, no bias) with the same top-ups: its forward pass is
    /// oneDNN's input-gradient kernel, so its input channels are the ones whose tail would be read.</summary>
    public static Tensor ConvTranspose2d(Tensor x, Tensor weight, long stride) =>
        WithTopUps(x, weight, null, transposed: true,
            (input, filters, _) => F.conv_transpose2d(input, filters, strides: [stride, stride]));

    static Tensor WithTopUps(Tensor x, Tensor weight, Tensor? bias, bool transposed, Func<Tensor, Tensor, Tensor?, Tensor> conv)
    {
        long inTopUp = x.shape[1] <= PlainLayoutChannels && !transposed ? 0 : TopUp(x.shape[1]);
        long outChannels = weight.shape[transposed ? 1 : 0];
        long outTopUp = x.requires_grad && is_grad_enabled() ? TopUp(outChannels) : 0;
        if (inTopUp == 0 && outTopUp == 0) return conv(x, weight, bias);
        using var scope = NewDisposeScope();
        // F.pad reads its list from the last dimension back: (x, y, dim 1, dim 0) of the weight.
        var input = inTopUp == 0 ? x : F.pad(x, [0, 0, 0, 0, 0, inTopUp]);
        var filters = F.pad(weight, transposed ? [0, 0, 0, 0, 0, outTopUp, 0, inTopUp] : [0, 0, 0, 0, 0, inTopUp, 0, outTopUp]);
        var shift = bias is null || outTopUp == 0 ? bias : F.pad(bias, [0, outTopUp]);
        var y = conv(input, filters, shift);
        return (outTopUp == 0 ? y : y.narrow(1, 0, outChannels)).MoveToOuterDisposeScope();
    }

    static long TopUp(long channels) => (ChannelBlock - channels % ChannelBlock) % ChannelBlock;
}
