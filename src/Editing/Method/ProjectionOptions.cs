using Pipeline.Editing.Networks.Vgg;

namespace Pipeline.Editing.Method;

/// <summary>Where the projection's W+ code starts.</summary>
public enum ProjectionStart
{
    /// <summary><c>latent_avg</c> of the pack when it has one (pSp container), else the mapping mean.</summary>
    Auto,
    /// <summary>The pack's <c>latent_avg</c> (an error when it has none).</summary>
    LatentAverage,
    /// <summary>The mean of the mapping network over <see cref="ProjectionOptions.MeanSamples"/> seeded z, on every W+ row.</summary>
    MappingMean,
}

/// <summary>One step of a projection, for progress display: the mean per-image loss after the step.</summary>
public sealed record ProjectionStep(int Step, int Steps, double Loss);

/// <summary>
/// The optimisation-based projection (the fallback inversion without an encoder): Adam on a W+ code, loss per image =
/// MSE(G(w), I) + <see cref="PerceptualWeight"/>·MSE(VGG16 conv4_3 of both), the learning rate ramped up over the first
/// <see cref="RampUp"/> and cosine-ramped down over the last <see cref="RampDown"/> of the steps (as StyleGAN2's
/// projector does). Deterministic given <see cref="Seed"/> (mapping-mean start) and the noise mode.
/// </summary>
public sealed record ProjectionOptions
{
    public const int DefaultSteps = 200;
    public const double DefaultLearningRate = 0.05;
    public const int DefaultMeanSamples = 10_000;
    /// <summary>VGG sees at most this side (larger images are area-downsampled first, as StyleGAN2's projector does with 256).</summary>
    public const int DefaultPerceptualSize = 256;

    public int Steps { get; init; } = DefaultSteps;
    public double LearningRate { get; init; } = DefaultLearningRate;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double RampUp { get; init; } = 0.05;
    public double RampDown { get; init; } = 0.25;

    /// <summary>Weight of the VGG16 conv4_3 feature MSE; the deghosting training's 1e-2 by default.</summary>
    public double PerceptualWeight { get; init; } = PerceptualLossConfig.OfficialPerceptualWeight;

    /// <summary>torchvision VGG16 weights for the perceptual term; null disables it (ImageNet VGG16 is not bundled).</summary>
    public string? VggWeights { get; init; }

    public int PerceptualSize { get; init; } = DefaultPerceptualSize;
    public ProjectionStart Start { get; init; } = ProjectionStart.Auto;
    public int MeanSamples { get; init; } = DefaultMeanSamples;
    public ulong Seed { get; init; }

    /// <summary>Receives every step (the CLI prints a line now and then).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IProgress<ProjectionStep>? Progress { get; init; }

    public void Validate()
    {
        if (Steps < 1) throw new ArgumentException($"projection steps must be at least 1, got {Steps}");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"projection learning rate must be a positive number, got {LearningRate}");
        if (!(PerceptualWeight >= 0) || double.IsInfinity(PerceptualWeight)) throw new ArgumentException($"projection perceptual weight must be ≥ 0, got {PerceptualWeight}");
        if (MeanSamples < 1) throw new ArgumentException($"projection mean samples must be at least 1, got {MeanSamples}");
        if (PerceptualSize < 16) throw new ArgumentException($"projection perceptual size must be at least 16, got {PerceptualSize}");
        if (RampUp is < 0 or > 1 || RampDown is < 0 or > 1) throw new ArgumentException("projection ramps must lie in [0,1]");
    }

    /// <summary>StyleGAN2 projector's schedule: linear warm-up, cosine ramp-down; <paramref name="t"/> = step / steps.</summary>
    public double LearningRateAt(double t)
    {
        double down = RampDown > 0 ? Math.Min(1, (1 - t) / RampDown) : 1;
        double ramp = 0.5 - 0.5 * Math.Cos(down * Math.PI);
        double up = RampUp > 0 ? Math.Min(1, t / RampUp) : 1;
        return LearningRate * ramp * Math.Max(up, MinimumWarmUpFraction);
    }

    // Step 0 would otherwise have lr 0 and waste a generator pass.
    const double MinimumWarmUpFraction = 0.01;
}
