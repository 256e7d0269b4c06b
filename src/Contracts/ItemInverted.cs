namespace Pipeline.Contracts;

/// <summary>Inversion done: W+ latent (safetensors), inversion image and one edited image per edit, in edit order.
/// <paramref name="Input"/> is the item's input as the method sees it (decoded and fitted to the model pack's size,
/// a float stage image), stored in the stage's bundle next to the images the next stage reads with it: no later stage
/// decodes or fits the upload again. <paramref name="Pngs"/>: 8-bit PNG renders of the input, the inversion and the
/// edited images by role (<see cref="Api.PngRoles"/>), slices of the same bundle; null from workers that made none.</summary>
public sealed record ItemInverted(
    Guid JobId,
    Guid ItemId,
    BlobRef Latent,
    BlobRef Inversion,
    IReadOnlyList<BlobRef> Edited,
    BlobRef Input,
    IReadOnlyDictionary<string, BlobRef>? Pngs = null);
