using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>Outcome of <see cref="IBlobStore.PutAsync"/> and <see cref="IBlobStore.PutIfAbsentAsync"/>:
/// <see cref="Written"/> is false when nothing was uploaded (identical bytes were stored already, or for a put-if-absent
/// any bytes were); <see cref="Blob"/> is what the name holds.</summary>
public sealed record BlobPutResult(BlobRef Blob, bool Written);
