namespace Pipeline.Contracts.Api;

/// <summary>Body of <c>GET /jobs/{id}/items/{index}/outputs</c>: every stored payload of the item by role
/// (<c>source</c> as uploaded; <c>input</c>, the source decoded and fitted to the pack's size; <c>latent</c>,
/// <c>inversion</c>, <c>edited/1</c>…, <c>mask</c>, <c>composite</c>, <c>final</c>). Images other than the upload are
/// float stage images (safetensors, tensor <c>image</c> [1,3,S,S] in [−1,1], unclamped). <paramref name="Pngs"/> holds
/// the 8-bit PNG renders the stages stored next to them, by role (<see cref="PngRoles"/>: input, inversion, edited-1…,
/// mask, coarse, final), served as images by <c>GET /jobs/{id}/items/{index}/png/{role}</c>. Download any blob with
/// <c>GET /blobs/{name}</c>.</summary>
public sealed record ItemOutputs(Guid ItemId, int Index, string State, IReadOnlyDictionary<string, BlobRef> Blobs,
    IReadOnlyDictionary<string, BlobRef> Pngs);
