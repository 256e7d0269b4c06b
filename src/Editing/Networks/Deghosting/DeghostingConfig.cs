namespace Pipeline.Editing.Networks.Deghosting;

/// <summary>
/// Configuration of the GLEAN-style deghosting network: an RRDB encoder at <see cref="InSize"/>², a strided
/// pyramid down to 4², an FC head to a W+ code, fusion into a frozen StyleGAN2 of size <see cref="OutSize"/>, and a
/// pixel-shuffle decoder. The channel table must match the generator's widths, since fusion and the decoder
/// concatenate encoder and generator features of the same resolution.
/// </summary>
public sealed record DeghostingConfig
{
    /// <summary>The mmediting GLEAN / official table (StyleGAN2 channel multiplier 2).</summary>
    public static readonly IReadOnlyDictionary<int, int> OfficialChannels = new Dictionary<int, int>
    {
        [4] = 512, [8] = 512, [16] = 512, [32] = 512, [64] = 512, [128] = 256, [256] = 128, [512] = 64, [1024] = 32,
    };

    /// <summary>The smallest feature map of the encoder pyramid and of the generator's constant input.</summary>
    public const int BaseResolution = 4;

    public int InSize { get; init; } = 128;
    public int OutSize { get; init; } = 1024;
    public int StyleChannels { get; init; } = 512;
    public int NumBlocks { get; init; } = 23;
    public int NumMid { get; init; } = 64;
    public int NumGrow { get; init; } = 32;
    public int ImageChannels { get; init; } = 3;

    /// <summary>Width of the last decoder conv before the RGB conv (64 in the reference, independent of the table).</summary>
    public int DecoderTailChannels { get; init; } = 64;

    public IReadOnlyDictionary<int, int> Channels { get; init; } = OfficialChannels;

    public static DeghostingConfig Official => new();

    /// <summary>Number of W+ rows the FC head produces: 2·log2(out) − 2 (18 for 1024).</summary>
    public int NumLatents => 2 * Log2(OutSize) - 2;

    /// <summary>Channel count at resolution <paramref name="resolution"/>.</summary>
    public int Ch(int resolution) => Channels.TryGetValue(resolution, out var c)
        ? c
        : throw new ArgumentException($"Deghosting channel table has no entry for resolution {resolution}");

    /// <summary>The encoder pyramid resolutions from the input down to 4: 128, 64, 32, 16, 8, 4.</summary>
    public IReadOnlyList<int> EncoderResolutions =>
        Enumerable.Range(0, Log2(InSize) - 1).Select(i => InSize >> i).ToList();

    /// <summary>
    /// True when the network restores at its input size (no super-resolution; the official model is 8×). The generator's
    /// output-size feature is then fused with the input-size encoder feature by the last fusion conv and decoded, since
    /// there is no larger generator feature for the decoder to read; the decoded image is a correction added to the input.
    /// </summary>
    public bool SameSize => InSize == OutSize;

    /// <summary>The decoder resolutions from the input up to the output: 128, 256, 512, 1024 (just the input when <see cref="SameSize"/>).</summary>
    public IReadOnlyList<int> DecoderResolutions =>
        Enumerable.Range(0, Log2(OutSize) - Log2(InSize) + 1).Select(i => InSize << i).ToList();

    public void Validate()
    {
        if (!IsPowerOfTwo(InSize) || InSize < BaseResolution)
            throw new ArgumentException($"Deghosting InSize must be a power of two >= {BaseResolution}, got {InSize}");
        if (!IsPowerOfTwo(OutSize) || OutSize < InSize)
            throw new ArgumentException($"Deghosting OutSize must be a power of two not below InSize {InSize}, got {OutSize}");
        foreach (var (name, value) in new[] { (nameof(StyleChannels), StyleChannels), (nameof(NumBlocks), NumBlocks),
                     (nameof(NumMid), NumMid), (nameof(NumGrow), NumGrow), (nameof(ImageChannels), ImageChannels),
                     (nameof(DecoderTailChannels), DecoderTailChannels) })
            if (value <= 0) throw new ArgumentException($"Deghosting {name} must be positive, got {value}");
        for (int r = BaseResolution; r <= OutSize; r *= 2) Ch(r);
    }

    internal static int Log2(int v) => System.Numerics.BitOperations.Log2((uint)v);
    static bool IsPowerOfTwo(int v) => v > 0 && (v & (v - 1)) == 0;
}
