using static TorchSharp.torch;
using TorchSharp;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// rosinality's <c>make_kernel</c>: a 1-D FIR kernel becomes the separable 2-D kernel <c>k[None,:]*k[:,None]</c>,
/// normalised to sum 1; a 2-D kernel is only normalised. [1,3,3,1] gives [[1,3,3,1],[3,9,9,3],[3,9,9,3],[1,3,3,1]]/64.
/// </summary>
public static class FirKernel
{
    public static Tensor Make(IReadOnlyList<double> taps, double gain = 1.0)
    {
        if (taps.Count == 0) throw new ArgumentException("a FIR kernel needs at least one tap", nameof(taps));
        using var scope = NewDisposeScope();
        var k = tensor(taps.Select(t => (float)t).ToArray());
        var k2 = k.unsqueeze(0) * k.unsqueeze(1);       // [n,n]
        k2 = k2 / k2.sum();
        if (gain != 1.0)
        {
            using Scalar g = gain;
            k2 = k2 * g;
        }
        return k2.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Python's <c>//</c> for the pad formulas, which floors (C# division truncates toward zero).</summary>
    internal static int FloorDiv(int a, int b) => (int)Math.Floor((double)a / b);
}
