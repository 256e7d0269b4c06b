using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Runtime;

/// <summary>
/// Sums with the alpha held. TorchSharp 0.107's <c>a + b</c> calls <c>add(b)</c>, which converts an alpha of 1 to a
/// Scalar that nothing holds while THSTensor_add reads it; these pass <see cref="Scalars.One"/> and compute the same.
/// </summary>
public static class TensorSums
{
    /// <summary><c>a + b</c>.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, Scalars.One);

    /// <summary><c>a + s</c> for a held Scalar s.</summary>
    public static Tensor Plus(this Tensor a, Scalar s) => a.add(s, Scalars.One);

    /// <summary><c>1 - x</c>, as TorchSharp computes it (negate, then add 1).</summary>
    public static Tensor OneMinus(this Tensor x)
    {
        using var negated = x.neg();
        return negated.add(Scalars.One, Scalars.One);
    }
}
