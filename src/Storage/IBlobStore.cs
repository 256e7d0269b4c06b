using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>Where stage payloads live. Names are deterministic (<see cref="BlobNames"/>), so a redelivered message
/// overwrites instead of duplicating; a write of bytes that are already stored under the name is skipped.</summary>
public interface IBlobStore
{
    /// <summary>Stores <paramref name="content"/> under <paramref name="name"/> unless the same bytes are already there.</summary>
    Task<BlobPutResult> PutAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken);

    /// <summary>Reads a blob, or the slice of it the reference names, and checks it against the reference's SHA-256.</summary>
    /// <exception cref="BlobNotFoundException">No blob has that name.</exception>
    /// <exception cref="BlobIntegrityException">The stored bytes do not hash to the reference.</exception>
    Task<byte[]> GetAsync(BlobRef blob, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="length"/> bytes from <paramref name="offset"/>, unchecked (fewer where the blob
    /// ends sooner): one request for several slices of one bundle, checked by the caller (<see cref="BlobSlices"/>).</summary>
    /// <exception cref="BlobNotFoundException">No blob has that name.</exception>
    Task<byte[]> ReadRangeAsync(string name, long offset, long length, CancellationToken cancellationToken);

    /// <summary>The reference of what is stored under <paramref name="name"/>, or null when nothing is.</summary>
    Task<BlobRef?> TryGetRefAsync(string name, CancellationToken cancellationToken);

    /// <summary>A read stream for downloads, or null when nothing is stored under <paramref name="name"/>.</summary>
    Task<Stream?> TryOpenReadAsync(string name, CancellationToken cancellationToken);
}
