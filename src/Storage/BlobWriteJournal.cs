using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>Appends "name sha256" for every write that stored bytes, flushed before the call returns. Turned on by
/// <see cref="BlobStorageOptions.WriteJournal"/>; the failure tests read it to prove no output was written twice.</summary>
public sealed class BlobWriteJournal(IBlobStore inner, string path) : IBlobStore
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public async Task<BlobPutResult> PutAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
        await RecordAsync(await inner.PutAsync(name, content, contentType, cancellationToken), name, cancellationToken);

    public async Task<BlobPutResult> PutIfAbsentAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
        await RecordAsync(await inner.PutIfAbsentAsync(name, content, contentType, cancellationToken), name, cancellationToken);

    private async Task<BlobPutResult> RecordAsync(BlobPutResult result, string name, CancellationToken cancellationToken)
    {
        if (result.Written)
        {
            await Gate.WaitAsync(cancellationToken);
            try
            {
                await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                await using var writer = new StreamWriter(file);
                await writer.WriteLineAsync($"{name} {result.Blob.Sha256}");
                await writer.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }
            finally
            {
                Gate.Release();
            }
        }
        return result;
    }

    public Task<byte[]> GetAsync(BlobRef blob, CancellationToken cancellationToken) => inner.GetAsync(blob, cancellationToken);

    public Task<byte[]> ReadRangeAsync(string name, long offset, long length, CancellationToken cancellationToken) =>
        inner.ReadRangeAsync(name, offset, length, cancellationToken);

    public Task<BlobRef?> TryGetRefAsync(string name, CancellationToken cancellationToken) => inner.TryGetRefAsync(name, cancellationToken);

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => inner.DeleteAsync(name, cancellationToken);
}
