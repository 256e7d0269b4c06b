using Pipeline.Contracts;
using Polly;

namespace Pipeline.Storage;

/// <summary>Runs every call of the inner store through the storage resilience pipeline (retry with jitter, circuit
/// breaker, per-attempt timeout; see <see cref="StorageResilience"/>). Each call returns whole byte arrays, read inside
/// its attempt, so a transfer that fails half-way is retried; downloads stream as ranged chunks (<see cref="BlobReads"/>),
/// each its own retried call.</summary>
public sealed class ResilientBlobStore(IBlobStore inner, ResiliencePipeline pipeline) : IBlobStore
{
    public Task<BlobPutResult> PutAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(async token => await inner.PutAsync(name, content, contentType, token), cancellationToken).AsTask();

    public Task<BlobPutResult> PutIfAbsentAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(async token => await inner.PutIfAbsentAsync(name, content, contentType, token), cancellationToken).AsTask();

    public Task<byte[]> GetAsync(BlobRef blob, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(async token => await inner.GetAsync(blob, token), cancellationToken).AsTask();

    public Task<byte[]> ReadRangeAsync(string name, long offset, long length, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(async token => await inner.ReadRangeAsync(name, offset, length, token), cancellationToken).AsTask();

    public Task<BlobRef?> TryGetRefAsync(string name, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(async token => await inner.TryGetRefAsync(name, token), cancellationToken).AsTask();

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(async token => await inner.ListAsync(prefix, token), cancellationToken).AsTask();

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(async token => await inner.DeleteAsync(name, token), cancellationToken).AsTask();
}
