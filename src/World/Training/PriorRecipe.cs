namespace Pipeline.World.Training;

/// <summary>
/// The demo prior's training recipe: a conditional renderer (factor map + StyleGAN2 synthesis) regressed onto the
/// rendered scenes, then a pSp encoder that lands on the clean face's code.
/// </summary>
public sealed record PriorRecipe
{
    /// <summary>World seed the training scenes are drawn from (the <c>train</c> split).</summary>
    public int WorldSeed { get; init; } = 1;

    /// <summary>World seed of the held-out scenes the reported PSNR is measured on.</summary>
    public int HeldOutSeed { get; init; } = 1_000_001;

    public int HeldOutCount { get; init; } = 256;

    /// <summary>0: fresh scenes every step; N: cycle through the first N scenes of the world seed.</summary>
    public int SceneCount { get; init; }

    public double L1Weight { get; init; } = 1;

    /// <summary>Renderer only: weight of the squared distance between the world classifier's features of the render and of the scene, relative to the scene's feature energy (0: off).</summary>
    public double FeatureWeight { get; init; }
    public double MseWeight { get; init; } = 1;

    /// <summary>Encoder only: weight of the squared distance to the clean face's code, per W+ coordinate.</summary>
    public double LatentWeight { get; init; } = 20;

    /// <summary>Encoder only: learning rate of the style heads' equalised output layers relative to the rest.</summary>
    public double HeadLearningRateMultiplier { get; init; } = 10;

    /// <summary>Encoder only, e4e forward: weight of e4e's delta regulariser on the latent's rows (0: off).</summary>
    public double DeltaWeight { get; init; } = Pipeline.Editing.Networks.Psp.Encoder4Editing.DeltaNormLambda;

    /// <summary>Encoder only: share of training scenes drawn with out-of-domain occluders and backgrounds.</summary>
    public double OodFraction { get; init; } = 0.5;
}
