namespace Pipeline.World.Scenes;

/// <summary>How often each factor is drawn. Attributes stay near balance so that classifiers and directions see both
/// sides often; ood rates decide how cluttered the out-of-domain split is.</summary>
public sealed record SamplingRates
{
    public double Smile { get; init; } = 0.5;
    public double Eyeglasses { get; init; } = 0.3;
    public double Beard { get; init; } = 0.3;
    public double BushyEyebrows { get; init; } = 0.4;
    public double Old { get; init; } = 0.3;
    public double NarrowEyes { get; init; } = 0.3;
    public double MouthOpen { get; init; } = 0.35;

    /// <summary>Chance of a second occluder in an ood scene (the first is always there).</summary>
    public double SecondOccluder { get; init; } = 0.45;
    public double PatternedBackground { get; init; } = 0.6;

    public static SamplingRates Default { get; } = new();
}
