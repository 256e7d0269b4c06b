namespace Pipeline.Contracts;

/// <summary>Deghosting done: the final image (a float stage image) and its 8-bit PNG render by role
/// (<see cref="Api.PngRoles"/>; null from workers that made none).</summary>
public sealed record ItemDeghosted(Guid JobId, Guid ItemId, BlobRef Final, IReadOnlyDictionary<string, BlobRef>? Pngs = null);
