namespace Pipeline.Storage;

/// <summary>Downloads of whole blobs as streams that read ranged chunks (<see cref="IBlobStore.ReadRangeAsync"/>): each
/// chunk is one store call, so through a <see cref="ResilientBlobStore"/> a read that fails half-way is retried from
/// where it stopped, and no more than one chunk is held in memory.</summary>
public static class BlobReads
{
    public const int DefaultChunkBytes = 4 * 1024 * 1024;

    /// <summary>A read stream over the blob, or null when nothing is stored under <paramref name="name"/>.</summary>
    public static async Task<Stream?> TryOpenReadAsync(this IBlobStore store, string name, CancellationToken cancellationToken,
        int chunkBytes = DefaultChunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1);
        try
        {
            var first = await store.ReadRangeAsync(name, 0, chunkBytes, cancellationToken);
            return new ChunkedBlobStream(store, name, first, chunkBytes);
        }
        catch (BlobNotFoundException)
        {
            return null;
        }
    }
}
