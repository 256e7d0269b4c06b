namespace Pipeline.Contracts;

/// <summary>A claim check: where a payload lives in blob storage and the SHA-256 (lower-case hex) it must hash to.</summary>
public sealed record BlobRef(string Name, string Sha256, long Length, string ContentType);
