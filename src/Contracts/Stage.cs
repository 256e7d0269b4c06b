namespace Pipeline.Contracts;

/// <summary>The three stages of the method, in order.</summary>
public enum Stage
{
    /// <summary>Inversion and editing: image → W+ latent, inversion image, edited images T_1..T_r.</summary>
    Invert,
    /// <summary>Differential activation and composition: mask M and coarse composite F.</summary>
    DiffCam,
    /// <summary>Deghosting: F → final image.</summary>
    Deghost,
}
