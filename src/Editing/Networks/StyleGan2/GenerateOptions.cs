using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>The options of a generator call, mirroring rosinality's <c>Generator.forward</c> keywords.</summary>
public sealed record GenerateOptions
{
    public static GenerateOptions Default { get; } = new();

    /// <summary>The styles are already W (or W+) latents, so the mapping network is skipped.</summary>
    public bool InputIsLatent { get; init; }

    /// <summary>ψ &lt; 1 pulls every style toward <see cref="TruncationLatent"/>: <c>t + ψ·(s − t)</c>.</summary>
    public double Truncation { get; init; } = 1;

    /// <summary>[1,style_dim] (or broadcastable); required when <see cref="Truncation"/> &lt; 1.</summary>
    public Tensor? TruncationLatent { get; init; }

    /// <summary>Style mixing with two styles: W+ rows [0, inject) from the first, the rest from the second; null draws it in [1, n_latent−1].</summary>
    public int? InjectIndex { get; init; }

    public NoiseSource Noise { get; init; } = NoiseSource.Stored;

    /// <summary>Receives copies of the intermediate tensors (conv1, to_rgb1, convs.j, to_rgbs.t) when given.</summary>
    public FeatureTaps? Taps { get; init; }
}

/// <summary>The generated image <c>[B,3,S,S]</c> (no tanh: values may leave [−1,1]) and the W+ latent <c>[B,n_latent,style_dim]</c> it used.</summary>
public sealed record StyleGan2Output(Tensor Image, Tensor Latent) : IDisposable
{
    public void Dispose()
    {
        Image.Dispose();
        Latent.Dispose();
    }
}
