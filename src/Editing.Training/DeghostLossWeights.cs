namespace Pipeline.Editing.Training;

/// <summary>The two readings of the deghosting loss (paper Eq. 8 vs the reference code).</summary>
public enum DeghostPreset
{
    /// <summary>The reference <c>train_deghosting.py</c>: perceptual_weight 1e-2 inside the perceptual module, GAN 1e-2.</summary>
    Official,
    /// <summary>The paper's Eq. 8 as printed: λ_m = 1, λ_p = 0.8, λ_a = 0.01.</summary>
    Paper,
}

/// <summary>L_G = w_pixel·MSE + w_perceptual·MSE(VGG16 conv4_3) + w_gan·BCE(D(out), 1); the discriminator's loss is unweighted.</summary>
public sealed record DeghostLossWeights(double Pixel, double Perceptual, double Gan)
{
    public static DeghostLossWeights Official { get; } = new(1, 1e-2, 1e-2);
    public static DeghostLossWeights Paper { get; } = new(1, 0.8, 0.01);

    public static DeghostLossWeights For(DeghostPreset preset) => preset switch
    {
        DeghostPreset.Official => Official,
        DeghostPreset.Paper => Paper,
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "unknown deghosting preset"),
    };

    public void Validate()
    {
        foreach (var (name, w) in new[] { ("pixel", Pixel), ("perceptual", Perceptual), ("gan", Gan) })
            if (!double.IsFinite(w) || w < 0) throw new ArgumentException($"the {name} loss weight must be a finite number ≥ 0, got {w}");
    }
}
