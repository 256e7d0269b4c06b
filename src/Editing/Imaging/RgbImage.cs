using TorchSharp;
using static TorchSharp.torch;
using Pipeline.Editing.Runtime;

namespace Pipeline.Editing.Imaging;

/// <summary>An 8-bit RGB image, row-major, 3 bytes per pixel: the only pixel layout the method works with.</summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] rgb)
    {
        if (rgb.Length != checked(width * height * 3)) throw new ArgumentException($"expected {width * height * 3} bytes for {width}x{height} RGB, got {rgb.Length}");
        Width = width;
        Height = height;
        Rgb = rgb;
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Rgb { get; }

    /// <summary>[1,3,H,W] float32 in [-1,1]: (u8/255 − 0.5)/0.5, the reference's ToTensor + Normalize(0.5, 0.5).</summary>
    public Tensor ToTensor()
    {
        using var scope = NewDisposeScope();
        // Scalars held in variables: an implicit one (div(255.0)) can be finalised while the native call reads it
        // (docs/distributed.md, "Garbage collection and TorchSharp's implicit Scalars"); every decoded image passes here.
        using Scalar levels = 255.0, half = 0.5;
        var hwc = tensor(Rgb, new long[] { Height, Width, 3 }, ScalarType.Byte);
        var x = hwc.permute(2, 0, 1).unsqueeze(0).to_type(ScalarType.Float32).div(levels).sub(half).div(half);
        return x.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>From [1,3,H,W] or [3,H,W] in [-1,1]: ((t+1)/2).clamp(0,1), round(x·255), as the reference's tensor2np.</summary>
    public static RgbImage FromTensor(Tensor t)
    {
        using var scope = NewDisposeScope();
        var x = t.dim() == 4 ? t[0] : t;
        if (x.dim() != 3 || x.shape[0] != 3) throw new ArgumentException($"expected an image tensor [1,3,H,W] or [3,H,W], got [{string.Join(",", t.shape)}]");
        using Scalar one = 1, two = 2, zero = 0, levels = 255;
        var u8 = x.detach().cpu().to_type(ScalarType.Float32).add(one, alpha: one).div(two).clamp(zero, one).mul(levels).round().to_type(ScalarType.Byte);
        var hwc = u8.permute(1, 2, 0).contiguous();
        return new RgbImage((int)x.shape[2], (int)x.shape[1], hwc.bytes.ToArray());
    }

    /// <summary>A single-channel mask [H,W] or [1,1,H,W] in [0,1] as a grey RGB image.</summary>
    public static RgbImage FromMask(Tensor mask)
    {
        using var scope = NewDisposeScope();
        var m = mask.detach().cpu().to_type(ScalarType.Float32);
        while (m.dim() > 2) m = m[0];
        var grey = m.clamp(Scalars.Zero, Scalars.One).mul(Scalars.Two).sub(Scalars.One);
        return FromTensor(stack(new[] { grey, grey, grey }));
    }
}
