using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Storage;

namespace Pipeline.Distributed.Tests.Support;

/// <summary>Counts the requests that reach the blob store, by operation and blob name, passing each one on.</summary>
public sealed class CountingBlobStore(IBlobStore inner) : IBlobStore
{
    private readonly ConcurrentQueue<(string Operation, string Name)> _requests = new();

    public IReadOnlyList<(string Operation, string Name)> Requests => [.. _requests];

    /// <summary>Replaces the registered <see cref="IBlobStore"/> with one that counts into <paramref name="counter"/>.</summary>
    public static void Decorate(IServiceCollection services, Action<CountingBlobStore> counter)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IBlobStore));
        services.Remove(registered);
        services.AddSingleton<IBlobStore>(provider =>
        {
            var inner = registered.ImplementationInstance as IBlobStore
                        ?? (IBlobStore)(registered.ImplementationFactory?.Invoke(provider)
                                        ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!));
            var counting = new CountingBlobStore(inner);
            counter(counting);
            return counting;
        });
    }

    public Task<BlobPutResult> PutAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        _requests.Enqueue(("put", name));
        return inner.PutAsync(name, content, contentType, cancellationToken);
    }

    public Task<BlobPutResult> PutIfAbsentAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        _requests.Enqueue(("put", name));
        return inner.PutIfAbsentAsync(name, content, contentType, cancellationToken);
    }

    public Task<byte[]> GetAsync(BlobRef blob, CancellationToken cancellationToken)
    {
        _requests.Enqueue(("get", blob.Name));
        return inner.GetAsync(blob, cancellationToken);
    }

    public Task<byte[]> ReadRangeAsync(string name, long offset, long length, CancellationToken cancellationToken)
    {
        _requests.Enqueue(("range", name));
        return inner.ReadRangeAsync(name, offset, length, cancellationToken);
    }

    public Task<BlobRef?> TryGetRefAsync(string name, CancellationToken cancellationToken)
    {
        _requests.Enqueue(("probe", name));
        return inner.TryGetRefAsync(name, cancellationToken);
    }

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        _requests.Enqueue(("list", prefix));
        return inner.ListAsync(prefix, cancellationToken);
    }

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        _requests.Enqueue(("delete", name));
        return inner.DeleteAsync(name, cancellationToken);
    }
}
