namespace Pipeline.Contracts;

/// <summary>Inversion done: W+ latent (safetensors), inversion image and one edited image per edit, in edit order.
/// <paramref name="Input"/> is the item's input as the method sees it (decoded and fitted to the model pack's size,
/// a float stage image), stored in the stage's bundle next to the images the next stage reads with it: no later stage
/// decodes or fits the upload again.</summary>
public sealed record ItemInverted(
    Guid JobId,
    Guid ItemId,
    BlobRef Latent,
    BlobRef Inversion,
    IReadOnlyList<BlobRef> Edited,
    BlobRef Input);
