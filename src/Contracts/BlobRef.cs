namespace Pipeline.Contracts;

/// <summary>A claim check: where a payload lives in blob storage and the SHA-256 (lower-case hex) it must hash to.
/// <paramref name="Offset"/> is null when the payload is the whole blob; otherwise the payload is the
/// <paramref name="Length"/> bytes at that offset of the blob (a stage bundle keeps every output a stage made for an
/// item in one blob, so a stage writes one blob and the next reads one range).</summary>
public sealed record BlobRef(string Name, string Sha256, long Length, string ContentType, long? Offset = null);
