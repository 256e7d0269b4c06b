using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;
using Pipeline.Editing.Runtime;

namespace Pipeline.Editing.Imaging;

/// <summary>What to do with an input whose size is not the model's: refuse (default), resize, or crop the centre.</summary>
public enum SizeMode { Refuse, ResizeArea, ResizeBicubic, CropCenter }

public static class SizePolicy
{
    public static SizeMode Parse(string? resize, string? crop) => (resize?.ToLowerInvariant(), crop?.ToLowerInvariant()) switch
    {
        (null, null) => SizeMode.Refuse,
        ("area", null) => SizeMode.ResizeArea,
        ("bicubic", null) => SizeMode.ResizeBicubic,
        (null, "center") => SizeMode.CropCenter,
        (not null, not null) => throw new ArgumentException("--resize and --crop cannot be combined"),
        ({ } r, null) => throw new ArgumentException($"unknown --resize mode '{r}' (area or bicubic)"),
        (null, { } c) => throw new ArgumentException($"unknown --crop mode '{c}' (center)"),
    };

    /// <summary>Refuses, from the declared size alone, an image this mode cannot fit: the same reasons as <see cref="Fit"/>,
    /// given before anything is decoded.</summary>
    public static void CheckDeclared(long width, long height, int size, SizeMode mode, string item)
    {
        if (mode == SizeMode.Refuse && (width != size || height != size))
            throw new ImageDecodeException(item, $"image is {width}x{height} but the models expect {size}x{size}; pass --resize area|bicubic or --crop center");
        if (mode == SizeMode.CropCenter && (height < size || width < size))
            throw new ImageDecodeException(item, $"image is {width}x{height}, smaller than the {size}x{size} centre crop; use --resize instead");
    }

    /// <summary>Brings a [1,3,H,W] image to size×size or throws an <see cref="ImageDecodeException"/> naming the item.</summary>
    public static Tensor Fit(Tensor image, int size, SizeMode mode, string item)
    {
        long h = image.shape[2], w = image.shape[3];
        if (h == size && w == size) return image.alias();
        // Callers decode outside any dispose scope; the scope keeps each temporary reachable while the next native call
        // reads it (TorchSharp frees unreachable tensors from its finalizer thread, even mid-call).
        using var scope = NewDisposeScope();
        return Resize(image, size, mode, item, h, w).MoveToOuterDisposeScope();
    }

    private static Tensor Resize(Tensor image, int size, SizeMode mode, string item, long h, long w)
    {
        CheckDeclared(w, h, size, mode, item);
        switch (mode)
        {
            case SizeMode.ResizeArea:
                return adaptive_avg_pool2d(image, new long[] { size, size });
            case SizeMode.ResizeBicubic:
                return interpolate(image, new long[] { size, size }, mode: InterpolationMode.Bicubic, align_corners: false, antialias: true).clamp(Scalars.MinusOne, Scalars.One);
            case SizeMode.CropCenter:
                long top = (h - size) / 2, left = (w - size) / 2;
                return image[.., .., TensorIndex.Slice(top, top + size), TensorIndex.Slice(left, left + size)].contiguous();
            default:
                throw new ArgumentOutOfRangeException(nameof(mode));
        }
    }
}
