using Pipeline.Editing.Networks.StyleGan2;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Psp;

/// <summary>The keywords of an inversion call (pSp.forward's <c>resize</c> and <c>randomize_noise</c>).</summary>
public sealed record PspRunOptions
{
    /// <summary>The official call: face-pooled output and fresh noise on every decoder call (<c>randomize_noise=True</c>).</summary>
    public static PspRunOptions Official { get; } = new();

    /// <summary>Pool the decoder output to <see cref="PspConfig.FacePoolSize"/>².</summary>
    public bool Resize { get; init; } = true;

    /// <summary>The decoder's per-layer noise; <see cref="NoiseSource.Stored"/> makes the inversion deterministic.</summary>
    public NoiseSource Noise { get; init; } = NoiseSource.Fresh;
}

/// <summary>An inversion: the image (face-pooled unless asked otherwise) and its W+ latent <c>[B,n_styles,style_dim]</c>.</summary>
public sealed record PspOutput(Tensor Image, Tensor Latent) : IDisposable
{
    public void Dispose()
    {
        Image.Dispose();
        Latent.Dispose();
    }
}
