namespace Pipeline.Contracts.Api;

/// <summary>Body of <c>GET /jobs/{id}/items/{index}/outputs</c>: every stored payload of the item by role
/// (<c>source</c>, <c>latent</c>, <c>inversion</c>, <c>edited/1</c>…, <c>mask</c>, <c>composite</c>, <c>final</c>).
/// Download each with <c>GET /blobs/{name}</c>.</summary>
public sealed record ItemOutputs(Guid ItemId, int Index, string State, IReadOnlyDictionary<string, BlobRef> Blobs);
