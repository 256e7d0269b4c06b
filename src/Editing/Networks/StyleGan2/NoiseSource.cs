using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// Where the per-layer noise of a synthesis pass comes from (rosinality's <c>NoiseInjection</c> inputs). The default,
/// <see cref="Stored"/>, uses the checkpoint's buffers and is deterministic (the official
/// <c>randomize_noise=False</c>); <see cref="Fresh"/> is the official default <c>randomize_noise=True</c>, different on
/// every call.
/// </summary>
public abstract record NoiseSource
{
    NoiseSource() { }

    /// <summary>The generator's <c>noises.noise_j</c> buffers.</summary>
    public static NoiseSource Stored { get; } = new StoredBuffers();

    /// <summary>Fresh N(0,1) maps <c>[B,1,r,r]</c> from torch's global generator on every call.</summary>
    public static NoiseSource Fresh { get; } = new FreshRandom();

    /// <summary>N(0,1) maps <c>[B,1,r,r]</c> drawn layer by layer from a CPU <c>torch.Generator</c> seeded with <paramref name="seed"/>.</summary>
    public static NoiseSource Seeded(ulong seed) => new SeededRandom(seed);

    /// <summary>One map per noise layer, each <c>[1 or B,1,r,r]</c>; the caller keeps ownership.</summary>
    public static NoiseSource Explicit(IReadOnlyList<Tensor> perLayer) => new ExplicitMaps(perLayer);

    public sealed record StoredBuffers : NoiseSource;

    public sealed record FreshRandom : NoiseSource;

    public sealed record SeededRandom(ulong Seed) : NoiseSource;

    public sealed record ExplicitMaps(IReadOnlyList<Tensor> PerLayer) : NoiseSource;
}
