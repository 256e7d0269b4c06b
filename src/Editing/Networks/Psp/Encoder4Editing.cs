using Pipeline.Editing.Runtime;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Psp;

/// <summary>
/// e4e's forward (<c>Encoder4Editing.forward</c>) on the style heads <see cref="GradualStyleEncoder"/> shares with pSp:
/// <c>w0 = styles[0](c3)</c>, <c>w = w0</c> repeated over the rows, and <c>w[:, i] += styles[i](features_i)</c> for
/// i ≥ 1, where features_i is c3, p2 or p1 exactly as pSp reads row i. So the rows are <c>w0 + Δ_i</c> with Δ_0 = 0.
/// </summary>
public static class Encoder4Editing
{
    /// <summary>The W+ codes <c>[B,n_styles,D]</c> from the heads' outputs (each <c>[B,D]</c>, row order).</summary>
    public static Tensor Codes(IReadOnlyList<Tensor> heads)
    {
        using var scope = NewDisposeScope();
        var w0 = heads[0];                                               // [B,D]
        var deltas = stack([zeros_like(w0), .. heads.Skip(1)], dim: 1); // [B,n,D], Δ_0 = 0
        var w = w0.unsqueeze(1).expand_as(deltas).Plus(deltas);           // w0 repeated over the rows, plus Δ_i
        return w.MoveToOuterDisposeScope();
    }

    /// <summary>The per-row deltas <c>w_i − w_0</c> <c>[B,n,D]</c> of W+ codes (row 0 is zero).</summary>
    public static Tensor Deltas(Tensor w) => w - w.narrow(1, 0, 1);

    /// <summary>e4e's delta regulariser (<c>delta_norm</c> 2): <c>Σ_{i≥1} mean_b ‖w_i − w_0‖₂</c> over the latent's rows.</summary>
    public static Tensor DeltaNorm(Tensor w)
    {
        using var scope = NewDisposeScope();
        var deltas = Deltas(w).narrow(1, 1, w.size(1) - 1);                 // [B,n−1,D]
        var norms = linalg.norm(deltas, 2, new long[] { 2 });                 // [B,n−1]
        return norms.mean([0]).sum().MoveToOuterDisposeScope();
    }

    /// <summary>e4e's weight of <see cref="DeltaNorm"/> (<c>delta_norm_lambda</c>, the official default).</summary>
    public const double DeltaNormLambda = 2e-4;
}
