using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// Upsample, FIR-filter, downsample (rosinality's <c>upfirdn2d</c> op), the same pad on both axes:
/// (a) zero insertion: sample (i,j) goes to (i·up, j·up); (b) pad <c>before</c>/<c>after</c> zeros (negative crops);
/// (c) a true 2-D convolution with the kernel (correlation with the kernel flipped in both axes);
/// (d) keep every <c>down</c>-th sample starting at 0. Output size <c>(H·up + before + after − kh) / down + 1</c>.
/// <para>
/// Step (c) is a depthwise <c>conv2d</c> (groups = C) and step (d) its stride. Two equivalent shortcuts avoid the
/// padded copies: a symmetric non-negative pad is the conv's own padding; and upsampling without decimation is a
/// depthwise stride-<c>up</c> <c>conv_transpose2d</c> with the unflipped kernel, padding <c>kh − 1 − before</c> and output
/// padding <c>after − before + up − 1</c>, which skips the zero-inserted intermediate.
/// </para>
/// </summary>
public static class Upfirdn2d
{
    public static Tensor Apply(Tensor x, Tensor kernel, int up = 1, int down = 1, int padBefore = 0, int padAfter = 0)
    {
        if (x.dim() != 4) throw new ArgumentException($"upfirdn2d expects [B,C,H,W], got {x.dim()}-D", nameof(x));
        if (kernel.dim() != 2) throw new ArgumentException($"upfirdn2d expects a 2-D kernel, got {kernel.dim()}-D", nameof(kernel));
        if (up < 1 || down < 1) throw new ArgumentException($"up ({up}) and down ({down}) must be ≥ 1");
        long h = x.shape[2], w = x.shape[3], kh = kernel.shape[0], kw = kernel.shape[1];
        if (h * up + padBefore + padAfter < kh || w * up + padBefore + padAfter < kw)
            throw new ArgumentException($"upfirdn2d: the {h}x{w} input, upsampled ×{up} and padded ({padBefore},{padAfter}), is smaller than the {kh}x{kw} kernel");

        using var scope = NewDisposeScope();
        Tensor result;
        if (up > 1 && down == 1 && TransposedPadding(up, kh, kw, padBefore, padAfter) is var (padding, outputPadding))
            result = Transposed(x, kernel, up, padding, outputPadding);
        else
            result = Direct(x, kernel, up, down, padBefore, padAfter);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>The definition, step by step (zero insertion and asymmetric pads materialised).</summary>
    static Tensor Direct(Tensor x, Tensor kernel, int up, int down, int padBefore, int padAfter)
    {
        long b = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        long kh = kernel.shape[0], kw = kernel.shape[1];
        var y = x;
        if (up > 1)
        {
            // [B,C,H,1,W,1] padded with up−1 zeros after each sample → [B,C,H·up,W·up]
            y = F.pad(x.reshape(b, c, h, 1, w, 1), new long[] { 0, up - 1, 0, 0, 0, up - 1 })
                .reshape(b, c, h * up, w * up);
        }
        long convPadding = 0;
        if (padBefore == padAfter && padBefore > 0) convPadding = padBefore;
        else y = PadOrCrop(y, padBefore, padAfter);
        var weight = kernel.flip(0, 1).to(y.dtype, y.device).expand(c, 1, kh, kw).contiguous();   // [C,1,kh,kw]
        return F.conv2d(y, weight, strides: new long[] { down, down }, padding: new[] { convPadding, convPadding }, groups: c);
    }

    /// <summary>
    /// out[y] = Σ_{i,t: up·i + t = y + kh − 1 − before} x[i]·K[t] is the transposed conv's full output shifted by
    /// <c>kh − 1 − before</c>; null when that needs a negative padding or an output padding outside [0, up).
    /// </summary>
    static (long[] Padding, long[] OutputPadding)? TransposedPadding(int up, long kh, long kw, int padBefore, int padAfter)
    {
        long ph = kh - 1 - padBefore, pw = kw - 1 - padBefore, op = padAfter - padBefore + up - 1;
        if (ph < 0 || pw < 0 || op < 0 || op >= up) return null;
        return (new[] { ph, pw }, new[] { op, op });
    }

    static Tensor Transposed(Tensor x, Tensor kernel, int up, long[] padding, long[] outputPadding)
    {
        long c = x.shape[1];
        var weight = kernel.to(x.dtype, x.device).expand(c, 1, kernel.shape[0], kernel.shape[1]).contiguous();   // [C,1,kh,kw]
        return F.conv_transpose2d(x, weight, strides: new long[] { up, up }, padding: padding, output_padding: outputPadding, groups: c);
    }

    /// <summary>Pads the last two axes with zeros; a negative amount crops that many samples instead.</summary>
    static Tensor PadOrCrop(Tensor x, int before, int after)
    {
        if (before == 0 && after == 0) return x;
        long p0 = Math.Max(before, 0), p1 = Math.Max(after, 0);
        var y = p0 + p1 > 0 ? F.pad(x, new long[] { p0, p1, p0, p1 }) : x;
        if (before < 0 || after < 0)
        {
            long c0 = Math.Max(-before, 0), c1 = Math.Max(-after, 0);
            y = y.narrow(2, c0, y.shape[2] - c0 - c1).narrow(3, c0, y.shape[3] - c0 - c1);
        }
        return y;
    }
}
