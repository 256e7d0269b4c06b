namespace Pipeline.Contracts;

/// <summary>Inversion done: W+ latent (safetensors), inversion image and one edited image per edit, in edit order.</summary>
public sealed record ItemInverted(
    Guid JobId,
    Guid ItemId,
    BlobRef Latent,
    BlobRef Inversion,
    IReadOnlyList<BlobRef> Edited);
