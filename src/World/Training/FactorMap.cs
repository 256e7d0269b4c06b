using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.World.Training;

/// <summary>
/// The demo prior's latent space: a scene's factor vector f <c>[B,F]</c> maps linearly to its W+ code
/// <c>w = A·f + b</c> <c>[B,n_latent,style_dim]</c>. Kept as <c>nn.Linear</c>'s fields (<c>weight</c> = A
/// <c>[n_latent·style_dim, F]</c>, <c>bias</c> = b), so the saved state reads as a linear layer's. Column k of A is the
/// exact W+ step that moves factor k by one, which is what the pack's attribute directions are.
/// </summary>
public sealed class FactorMap : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly Parameter bias;

    public FactorMap(int factors, int nLatent, int styleDim, long seed) : base(nameof(FactorMap))
    {
        if (factors < 1 || nLatent < 1 || styleDim < 1) throw new ArgumentException($"factor map sizes must be positive, got {factors} → [{nLatent},{styleDim}]");
        Factors = factors;
        NLatent = nLatent;
        StyleDim = styleDim;
        // Codes start near the unit scale of a mapped W (the modulations' bias init of 1 keeps the first styles sane).
        using var generator = new Generator((ulong)seed);
        using Scalar fanIn = Math.Sqrt(factors);
        weight = new Parameter(randn(new long[] { nLatent * styleDim, factors }, generator: generator) / fanIn);
        bias = new Parameter(zeros(nLatent * styleDim));
        RegisterComponents();
    }

    public int Factors { get; }
    public int NLatent { get; }
    public int StyleDim { get; }

    /// <summary>A <c>[n_latent·style_dim, F]</c>.</summary>
    public Parameter Weight => weight;

    /// <summary>b <c>[n_latent·style_dim]</c>.</summary>
    public Parameter Bias => bias;

    /// <summary>w = A·f + b, as W+ rows.</summary>
    public override Tensor forward(Tensor f)
    {
        if (f.dim() != 2 || f.shape[1] != Factors) throw new ArgumentException($"factors must be [B,{Factors}], got [{string.Join(",", f.shape)}]", nameof(f));
        using var scope = NewDisposeScope();
        return nn.functional.linear(f, weight, bias).view(f.shape[0], NLatent, StyleDim).MoveToOuterDisposeScope();
    }

    /// <summary>Column k of A as a W+ step <c>[n_latent,style_dim]</c> (a copy).</summary>
    public Tensor Column(int k)
    {
        if (k < 0 || k >= Factors) throw new ArgumentOutOfRangeException(nameof(k), k, $"the factor map has {Factors} columns");
        using var _ = no_grad();
        return weight.detach()[.., k].reshape(NLatent, StyleDim).clone();
    }
}
