using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>Where stage payloads live. Names are deterministic (<see cref="BlobNames"/>), so a redelivered message
/// writes to the same place; a write of bytes that are already stored under the name is skipped.</summary>
public interface IBlobStore
{
    /// <summary>Stores <paramref name="content"/> under <paramref name="name"/> unless the same bytes are already there;
    /// different bytes are replaced.</summary>
    Task<BlobPutResult> PutAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="content"/> under <paramref name="name"/> only when nothing is stored there (one
    /// atomic create: of two concurrent writers exactly one stores its bytes). <see cref="BlobPutResult.Blob"/> is what
    /// the name holds after the call: these bytes when written, else the earlier ones (compare its SHA-256 with
    /// <see cref="Sha256Hex.Of"/> of <paramref name="content"/> to tell identical from different).</summary>
    Task<BlobPutResult> PutIfAbsentAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken);

    /// <summary>Reads a blob, or the slice of it the reference names, and checks it against the reference's SHA-256.</summary>
    /// <exception cref="BlobNotFoundException">No blob has that name.</exception>
    /// <exception cref="BlobIntegrityException">The stored bytes do not hash to the reference.</exception>
    Task<byte[]> GetAsync(BlobRef blob, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="length"/> bytes from <paramref name="offset"/>, unchecked (fewer where the blob
    /// ends sooner): one request for several slices of one bundle, checked by the caller (<see cref="BlobSlices"/>), and
    /// the chunks of a download (<see cref="BlobReads"/>).</summary>
    /// <exception cref="BlobNotFoundException">No blob has that name.</exception>
    Task<byte[]> ReadRangeAsync(string name, long offset, long length, CancellationToken cancellationToken);

    /// <summary>The reference of what is stored under <paramref name="name"/>, or null when nothing is.</summary>
    Task<BlobRef?> TryGetRefAsync(string name, CancellationToken cancellationToken);

    /// <summary>The names stored under <paramref name="prefix"/> (a folder such as <c>jobs/{id}/</c>), in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Removes the blob; false when nothing was stored under <paramref name="name"/>.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);
}
