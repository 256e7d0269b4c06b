using static TorchSharp.torch;
using TorchSharp;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// How the equalized-learning-rate factor <c>gain·lr_mul/√fan_in</c> is rounded, which decides the last bit of every
/// effective weight. The two reference implementations differ, so a port that loads a checkpoint of one of them and
/// must match it bit for bit picks its mode.
/// </summary>
public enum EqualizedLrMode
{
    /// <summary>
    /// rosinality (the pSp decoder): <c>scale = (1/√fan_in)·lr_mul</c> computed in double and applied once
    /// (<c>weight·(float)scale</c>); the linear bias goes into the matmul (<c>addmm</c>); PixelNorm is
    /// <c>x·rsqrt(mean(x²)+1e-8)</c>.
    /// </summary>
    RosinalityDouble,

    /// <summary>
    /// mmgen (the Deghosting generator, the discriminator): <c>((weight·(float)gain)·√(float)(1/fan_in))·(float)lr_mul</c>,
    /// each step rounded to float32; the linear bias is added after the matmul; PixelNorm is
    /// <c>x / (‖x‖₂/√C + 1e-6)</c>.
    /// </summary>
    MmgenFloat32,
}

/// <summary>The effective (scaled) weight of an equalized-lr layer in either rounding mode.</summary>
public static class EqualizedLr
{
    public static Tensor Scale(Tensor storedWeight, double fanIn, double lrMul, EqualizedLrMode mode, double gain = 1.0)
    {
        switch (mode)
        {
            case EqualizedLrMode.RosinalityDouble:
            {
                using Scalar scale = gain / Math.Sqrt(fanIn) * lrMul;
                return storedWeight * scale;
            }
            case EqualizedLrMode.MmgenFloat32:
            {
                using var scope = NewDisposeScope();
                float root = MathF.Sqrt((float)(1.0 / fanIn));   // torch.sqrt(torch.tensor(1./fan_in)), float32
                using Scalar g = (float)gain, r = root, lr = (float)lrMul;
                var w = storedWeight * g * r * lr;
                return w.MoveToOuterDisposeScope();
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown equalized-lr mode");
        }
    }
}
