namespace Pipeline.Editing.Training;

/// <summary>
/// The demo prior's training recipe: the pSp encoder and the StyleGAN2 generator trained together as an autoencoder in
/// W+ (L1 + MSE reconstruction), a small non-saturating adversarial term from a StyleGAN2 discriminator to keep the
/// outputs sharp, and a penalty pulling the codes toward <c>latent_avg</c> so that W+ stays compact and linear edits stay
/// on the decoder's manifold. With <see cref="TrainDecoder"/> false the generator is frozen and only the encoder learns
/// (the <c>train encoder</c> stage).
/// </summary>
public sealed record PriorRecipe
{
    public double L1Weight { get; init; } = 1.0;
    public double MseWeight { get; init; } = 1.0;
    public double AdversarialWeight { get; init; } = 0.05;
    public double LatentWeight { get; init; } = 1e-3;
    public bool TrainDecoder { get; init; } = true;
    /// <summary>Held-out images (the last ones of the set) used for the reported reconstruction PSNR.</summary>
    public int HeldOut { get; init; } = 64;
}
