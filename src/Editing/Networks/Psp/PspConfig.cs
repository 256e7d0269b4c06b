namespace Pipeline.Editing.Networks.Psp;

/// <summary>
/// The pSp configuration (official defaults: IR-SE50 GradualStyleEncoder, 256² input, 1024² StyleGAN2 decoder,
/// codes offset by <c>latent_avg</c>, 256² face pool).
/// </summary>
/// <param name="EncoderDepth">IR-SE depth: 50, 100 or 152.</param>
/// <param name="InputChannels">Channels of the encoder input (<c>input_nc</c>).</param>
/// <param name="InputSize">Side of the encoder input; the style heads' map sizes follow from it.</param>
/// <param name="OutputSize">Side of the decoder output; fixes the number of W+ rows.</param>
/// <param name="StyleDim">Width of one W+ row.</param>
/// <param name="StartFromLatentAvg">Whether the encoder codes are offsets from <c>latent_avg</c>.</param>
/// <param name="CoarseStyles">Rows predicted from the coarsest map c3.</param>
/// <param name="MiddleStylesEnd">Rows [CoarseStyles, MiddleStylesEnd) come from p2, the rest from p1.</param>
/// <param name="FacePoolSize">Side of <c>face_pool</c>'s adaptive average pool.</param>
/// <param name="ChannelMultiplier">The decoder's channel multiplier.</param>
/// <param name="MappingLayers">The decoder's mapping MLP depth.</param>
public sealed record PspConfig(
    int EncoderDepth = 50,
    int InputChannels = 3,
    int InputSize = 256,
    int OutputSize = 1024,
    int StyleDim = 512,
    bool StartFromLatentAvg = true,
    int CoarseStyles = 3,
    int MiddleStylesEnd = 7,
    int FacePoolSize = 256,
    int ChannelMultiplier = 2,
    int MappingLayers = 8)
{
    /// <summary>The encoder's forward: pSp's (one head per row) or e4e's (w0 repeated plus per-row deltas); same keys.</summary>
    public EncoderType EncoderType { get; init; } = EncoderType.GradualStyleEncoder;

    /// <summary>The decoder's explicit channel table per resolution (small model packs); null keeps StyleGAN2's.</summary>
    public IReadOnlyDictionary<int, int>? DecoderChannels { get; init; }

    /// <summary>The decoder mapping network's learning-rate multiplier (0.01 in StyleGAN2).</summary>
    public double LrMlp { get; init; } = 0.01;

    /// <summary>Output channels of the four IR-SE stages (small model packs); null keeps IR-SE's 64/128/256/512.
    /// The stem takes the first stage's width.</summary>
    public IReadOnlyList<int>? EncoderWidths { get; init; }

    /// <summary>Bottleneck units per IR-SE stage (small model packs); null keeps <see cref="EncoderDepth"/>'s layout.</summary>
    public IReadOnlyList<int>? EncoderUnits { get; init; }

    /// <summary>The IR-SE body stages this configuration builds.</summary>
    public IReadOnlyList<IrSeStage> EncoderStages => IrSeBlocks.For(EncoderDepth, EncoderWidths, EncoderUnits);

    /// <summary>The W+ rows of the decoder, <c>2·log2(OutputSize) − 2</c> (18 for 1024).</summary>
    public int NStyles => 2 * (int)Math.Log2(OutputSize) - 2;

    public void Validate()
    {
        if (OutputSize < 4 || (OutputSize & (OutputSize - 1)) != 0)
            throw new ArgumentException($"pSp output size {OutputSize} must be a power of two ≥ 4", nameof(OutputSize));
        var stages = EncoderStages;
        int coarsest = InputSize >> stages.Count;   // every stage halves the map once
        if ((InputSize & (InputSize - 1)) != 0 || coarsest < 2)
            throw new ArgumentException($"pSp input size {InputSize} must be a power of two whose coarsest body map (÷{1 << stages.Count}) is ≥ 2", nameof(InputSize));
        if (InputChannels < 1) throw new ArgumentException($"pSp input channels must be positive, got {InputChannels}", nameof(InputChannels));
        if (StyleDim < 1) throw new ArgumentException($"pSp style dim must be positive, got {StyleDim}", nameof(StyleDim));
        if (CoarseStyles < 0 || MiddleStylesEnd < CoarseStyles || MiddleStylesEnd > NStyles)
            throw new ArgumentException($"pSp style split {CoarseStyles}/{MiddleStylesEnd} does not fit {NStyles} styles", nameof(MiddleStylesEnd));
        if (FacePoolSize < 1) throw new ArgumentException($"face pool size must be positive, got {FacePoolSize}", nameof(FacePoolSize));
    }
}
