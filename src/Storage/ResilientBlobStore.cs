using Pipeline.Contracts;
using Polly;

namespace Pipeline.Storage;

/// <summary>Runs every call of the inner store through the storage resilience pipeline (retry with jitter, circuit
/// breaker, per-attempt timeout; see <see cref="StorageResilience"/>).</summary>
public sealed class ResilientBlobStore(IBlobStore inner, ResiliencePipeline pipeline) : IBlobStore
{
    public Task<BlobPutResult> PutAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(async token => await inner.PutAsync(name, content, contentType, token), cancellationToken).AsTask();

    public Task<byte[]> GetAsync(BlobRef blob, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(async token => await inner.GetAsync(blob, token), cancellationToken).AsTask();

    public Task<byte[]> ReadRangeAsync(string name, long offset, long length, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(async token => await inner.ReadRangeAsync(name, offset, length, token), cancellationToken).AsTask();

    public Task<BlobRef?> TryGetRefAsync(string name, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(async token => await inner.TryGetRefAsync(name, token), cancellationToken).AsTask();

    public Task<Stream?> TryOpenReadAsync(string name, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(async token => await inner.TryOpenReadAsync(name, token), cancellationToken).AsTask();
}
