using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// Upsample, FIR-filter, downsample (SPEC §2.1), the same pad on both axes:
/// (a) zero insertion: sample (i,j) goes to (i·up, j·up); (b) pad <c>before</c>/<c>after</c> zeros (negative crops);
/// (c) a true 2-D convolution with the kernel (correlation with the kernel flipped in both axes);
/// (d) keep every <c>down</c>-th sample starting at 0. Output size <c>(H·up + before + after − kh) / down + 1</c>.
/// Step (c) is a depthwise <c>conv2d</c> (groups = C) and step (d) its stride, so no loop runs in C#.
/// </summary>
public static class Upfirdn2d
{
    public static Tensor Apply(Tensor x, Tensor kernel, int up = 1, int down = 1, int padBefore = 0, int padAfter = 0)
    {
        if (x.dim() != 4) throw new ArgumentException($"upfirdn2d expects [B,C,H,W], got {x.dim()}-D", nameof(x));
        if (kernel.dim() != 2) throw new ArgumentException($"upfirdn2d expects a 2-D kernel, got {kernel.dim()}-D", nameof(kernel));
        if (up < 1 || down < 1) throw new ArgumentException($"up ({up}) and down ({down}) must be ≥ 1");
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        long kh = kernel.shape[0], kw = kernel.shape[1];

        var y = x;
        if (up > 1)
        {
            // [B,C,H,1,W,1] padded with up−1 zeros after each sample → [B,C,H·up,W·up]
            y = F.pad(x.reshape(b, c, h, 1, w, 1), new long[] { 0, up - 1, 0, 0, 0, up - 1 })
                .reshape(b, c, h * up, w * up);
        }
        y = PadOrCrop(y, padBefore, padAfter);
        if (y.shape[2] < kh || y.shape[3] < kw)
            throw new ArgumentException($"upfirdn2d: padded input {y.shape[2]}x{y.shape[3]} is smaller than the {kh}x{kw} kernel");

        var weight = kernel.flip(0, 1).to(y.dtype, y.device).expand(c, 1, kh, kw).contiguous();   // [C,1,kh,kw]
        var result = F.conv2d(y, weight, strides: new long[] { down, down }, groups: c);
        return result.MoveToOuterDisposeScope();
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
            long h = y.shape[2] - c0 - c1, w = y.shape[3] - c0 - c1;
            if (h <= 0 || w <= 0) throw new ArgumentException($"upfirdn2d: crop ({before},{after}) removes the whole input");
            y = y.narrow(2, c0, h).narrow(3, c0, w);
        }
        return y;
    }
}
