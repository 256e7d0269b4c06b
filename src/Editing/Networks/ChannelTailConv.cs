using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Pipeline.Editing.Networks;

/// <summary>
/// <c>conv2d</c> whose input channels beyond a multiple of <see cref="ChannelBlock"/> are topped up with zero channels
/// (and zero weights): the same sum, with no channel tail left for the convolution kernels. libtorch's oneDNN direct
/// convolution with its AVX/AVX2 kernels (the parity cap, <c>OneDnnIsa</c>) computed the discriminator's final 3×3
/// convolution over 513 channels (512 features and the minibatch-stddev channel) 1.7e-3 off on the parity fixture and
/// 3–4 % off on random inputs (relative to the largest output; measured 2026-12-07 on a 2-core AMD EPYC), where its
/// SSE4.1 kernels (<c>ONEDNN_MAX_CPU_ISA=SSE41</c>) and float64 agree to 2e-6; the error fed the deghosting trainer's
/// adversarial loss. Channel counts that are multiples of 8 were exact. Inputs of at most
/// <see cref="ChannelBlock"/> channels (RGB) take the kernels' own small-channel path and are left as they are.
/// Only the discriminator's convolutions go through here so far; on such a CPU the demo deghosting network's RGB skip
/// fusion (c + 3 channels) is affected too (README, "Platform notes").
/// </summary>
public static class ChannelTailConv
{
    /// <summary>The channel block of oneDNN's blocked layouts (8 for AVX2, 16 for AVX-512): a multiple of both.</summary>
    public const long ChannelBlock = 16;

    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, long stride, long padding)
    {
        var channels = x.shape[1];
        var tail = channels % ChannelBlock;
        if (channels <= ChannelBlock || tail == 0)
            return F.conv2d(x, weight, bias, strides: [stride, stride], padding: [padding, padding]);
        using var scope = NewDisposeScope();
        long[] topUp = [0, 0, 0, 0, 0, ChannelBlock - tail];                                 // (x, y, channels) from the last dim
        var y = F.conv2d(F.pad(x, topUp), F.pad(weight, topUp), bias, strides: [stride, stride], padding: [padding, padding]);
        return y.MoveToOuterDisposeScope();
    }
}
