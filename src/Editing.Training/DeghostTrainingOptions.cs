namespace Pipeline.Editing.Training;

/// <summary>
/// <c>pipeline train deghost</c> (official <c>train_deghosting.py</c>): the GLEAN-style network learns to map
/// folded-mask composites (<c>lq/</c>) to the original images (<c>gt/</c>) with its StyleGAN2 frozen, against a
/// StyleGAN2 discriminator.
/// </summary>
public sealed record DeghostTrainingOptions
{
    /// <summary>The official trainer: Adam(1e-4, (0.9, 0.99)) for both nets, batch 4, 200000 steps, save every 1000.</summary>
    public static TrainingOptions OfficialTraining(string outDir) => new() { OutDir = outDir, BatchSize = 4, Steps = 200000, CheckpointEvery = 1000, EvalEvery = 1000, SampleEvery = 1000 };

    public const string GeneratorFromPsp = "psp";

    public required TrainingOptions Training { get; init; }

    /// <summary>A ghost set: <c>lq/</c> and <c>gt/</c> with matching file stems.</summary>
    public required string DataDir { get; init; }

    public DeghostPreset Preset { get; init; } = DeghostPreset.Official;

    /// <summary>Overrides of the preset's weights.</summary>
    public double? PixelWeight { get; init; }
    public double? PerceptualWeight { get; init; }
    public double? GanWeight { get; init; }

    /// <summary>Initial Deghosting weights: <c>scratch</c>, <c>pack</c> (the pack's deghosting file) or a deghosting.pt (official layout).</summary>
    public string Init { get; init; } = "pack";

    /// <summary>
    /// With <c>--init scratch</c>, where the frozen StyleGAN2 comes from: <c>psp</c> (the pack's pSp decoder, the same
    /// prior the edits come from) or an mmgen checkpoint (<c>generator_ema.*</c>, the reference's FFHQ weights).
    /// </summary>
    public string Generator { get; init; } = GeneratorFromPsp;

    /// <summary>VGG16 weights for the perceptual term (torchvision <c>vgg16</c> state dict or PerceptualLoss keys); without them the term is off.</summary>
    public string? Vgg { get; init; }

    /// <summary>Initial discriminator weights (plain state dict, or an mmgen checkpoint's <c>discriminator.*</c>); null draws them from the seed.</summary>
    public string? DiscriminatorInit { get; init; }

    /// <summary>Discriminator channels per resolution; null uses the pack's deghosting channel table (the official one for the official pack).</summary>
    public IReadOnlyDictionary<int, int>? DiscriminatorChannels { get; init; }

    /// <summary>Shuffle the pairs each epoch (the reference does not).</summary>
    public bool Shuffle { get; init; }

    /// <summary>Pairs held out from training (the first ones), on which PSNR is measured every eval interval.</summary>
    public int EvalCount { get; init; }

    /// <summary>Rows of the sample grid (input | output | target).</summary>
    public int SampleCount { get; init; } = 4;

    public DeghostLossWeights Weights
    {
        get
        {
            var preset = DeghostLossWeights.For(Preset);
            return new DeghostLossWeights(PixelWeight ?? preset.Pixel, PerceptualWeight ?? preset.Perceptual, GanWeight ?? preset.Gan);
        }
    }
}
