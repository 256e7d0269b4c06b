using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Pipeline.Editing.Runtime;

namespace Pipeline.Editing.Method;

/// <summary>
/// The image-space steps around the DA mask (paper Eq. 5 and Eq. 7; official <c>image_process.py</c> and
/// <c>gen_dataset.py</c>): pure tensor functions on NCHW images in [−1,1] and masks in [0,1].
/// </summary>
public static class Composition
{
    /// <summary>pSp's <c>face_pool</c>: AdaptiveAvgPool2d((256,256)).</summary>
    public const long FacePoolSize = 256;

    /// <summary>Folding threshold of Eq. 7.</summary>
    public const double FoldThreshold = 0.5;

    static readonly TorchSharp.Scalar FoldThresholdScalar = FoldThreshold;

    /// <summary>Eq. 5: F = T·M + I·(1 − M); T the edited image, I the original, M [B,1,H,W] broadcast over channels.</summary>
    public static Tensor Compose(Tensor edited, Tensor original, Tensor mask)
    {
        using var scope = NewDisposeScope();
        return (edited * mask).Plus(original * mask.OneMinus()).MoveToOuterDisposeScope();
    }

    /// <summary>Eq. 7: M > 0.5 → 1 − M, so the ghost-data mask never exceeds 0.5 (it commutes with nearest upsampling).</summary>
    public static Tensor Fold(Tensor mask)
    {
        using var scope = NewDisposeScope();
        return where(mask > FoldThresholdScalar, mask.OneMinus(), mask).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>F.interpolate(x, size, mode='area')</c>: an exact block mean when the size divides the input, otherwise
    /// adaptive average pooling (which is what 'area' is).
    /// </summary>
    public static Tensor AreaDownsample(Tensor x, long height, long width)
    {
        long h = x.shape[^2], w = x.shape[^1];
        if (h % height == 0 && w % width == 0)
            return F.avg_pool2d(x, [h / height, w / width], [h / height, w / width]);
        return F.adaptive_avg_pool2d(x, [height, width]);
    }

    public static Tensor AreaDownsample(Tensor x, long size) => AreaDownsample(x, size, size);

    /// <summary>pSp <c>face_pool</c>: the 1024 generator output pooled to 256 (a 4×4 block mean).</summary>
    public static Tensor FacePool(Tensor x, long size = FacePoolSize) => F.adaptive_avg_pool2d(x, [size, size]);

    /// <summary>
    /// The DA mask [B,h,w] or [B,1,h,w] → [B,1,height,width] by nearest upsampling (the default of F.interpolate),
    /// i.e. each value repeated in a block.
    /// </summary>
    public static Tensor UpsampleMaskNearest(Tensor mask, long height, long width)
    {
        using var scope = NewDisposeScope();
        var m = mask.dim() switch
        {
            3 => mask.unsqueeze(1),
            4 when mask.shape[1] == 1 => mask,
            _ => throw new ArgumentException($"mask must be [B,h,w] or [B,1,h,w], got [{string.Join(",", mask.shape)}]", nameof(mask)),
        };
        return F.interpolate(m, [height, width], mode: InterpolationMode.Nearest).MoveToOuterDisposeScope();
    }
}
