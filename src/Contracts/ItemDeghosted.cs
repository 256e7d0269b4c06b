namespace Pipeline.Contracts;

/// <summary>Deghosting done: the final image.</summary>
public sealed record ItemDeghosted(Guid JobId, Guid ItemId, BlobRef Final);
