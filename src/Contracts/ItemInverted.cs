namespace Pipeline.Contracts;

/// <summary>Inversion done: W+ latent (safetensors), inversion image and one edited image per edit, in edit order.
/// <paramref name="Source"/> is the source image carried forward in the stage's bundle, next to the images the next
/// stage reads with it; null only from senders older than the field.</summary>
public sealed record ItemInverted(
    Guid JobId,
    Guid ItemId,
    BlobRef Latent,
    BlobRef Inversion,
    IReadOnlyList<BlobRef> Edited,
    BlobRef? Source = null);
