using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>Outcome of <see cref="IBlobStore.PutAsync"/>: <see cref="Written"/> is false when identical bytes were
/// already stored and nothing was uploaded.</summary>
public sealed record BlobPutResult(BlobRef Blob, bool Written);
