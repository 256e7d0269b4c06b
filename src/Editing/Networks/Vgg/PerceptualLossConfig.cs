namespace Pipeline.Editing.Networks.Vgg;

public enum PerceptualCriterion
{
    Mse,
    L1,
}

/// <summary>
/// mmedit <c>PerceptualLoss</c> settings. The deghosting training uses layer 21 (conv4_3 before its ReLU) with weight
/// 1, a perceptual weight of 1e-2, ImageNet input normalisation, [−1,1] → [0,1] image mapping and MSE.
/// </summary>
public sealed record PerceptualLossConfig(
    IReadOnlyDictionary<int, double> LayerWeights,
    double PerceptualWeight,
    bool UseInputNorm = true,
    bool NormImage = true,
    PerceptualCriterion Criterion = PerceptualCriterion.Mse)
{
    public const int Conv4_3 = 21;
    public const double OfficialPerceptualWeight = 1e-2;

    public static PerceptualLossConfig Official { get; } =
        new(new Dictionary<int, double> { [Conv4_3] = 1.0 }, OfficialPerceptualWeight);
}
