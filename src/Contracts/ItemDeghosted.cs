namespace Pipeline.Contracts;

/// <summary>Deghosting done: the final image (a float stage image; clients write it as PNG).</summary>
public sealed record ItemDeghosted(Guid JobId, Guid ItemId, BlobRef Final);
