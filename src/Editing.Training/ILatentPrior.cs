using static TorchSharp.torch;

namespace Pipeline.Editing.Training;

/// <summary>Where the DA trainer's W+ codes come from: inversions of real images, or latents sampled from the GAN.</summary>
public interface ILatentPrior : IDisposable
{
    /// <summary>What the prior is, for run.json.</summary>
    string Description { get; }

    /// <summary>The W+ codes of 1-based step <paramref name="step"/>: [B,n_latent,style_dim], a new tensor.</summary>
    Tensor TrainBatch(long step);

    /// <summary>The held-out codes [E,n_latent,style_dim] (owned by the prior).</summary>
    Tensor EvalLatents { get; }

    /// <summary>A name per held-out item (file stem or sample index), for the sample grid.</summary>
    IReadOnlyList<string> EvalNames { get; }
}
