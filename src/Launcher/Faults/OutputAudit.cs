using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Contracts;
using Pipeline.Coordinator.Client;
using Pipeline.Storage;

namespace Pipeline.Launcher.Faults;

/// <summary>Every output the coordinator's item records reference, read straight from the store (not through the fault
/// proxy) and hashed again: a stored hash that disagrees with the stored bytes is an output the saga cannot trust.</summary>
public static class OutputAudit
{
    public sealed record Result(int Checked, IReadOnlyList<string> Mismatched, IReadOnlyList<string> Unreadable);

    public static async Task<Result> RunAsync(CoordinatorClient client, Guid jobId, int items, string blobConnection, string container,
        CancellationToken cancellationToken)
    {
        var store = BlobStoreRegistration.Create(new BlobStorageOptions
        {
            Kind = BlobStoreKind.Azure,
            ConnectionString = blobConnection,
            Container = container,
        }, NullLogger.Instance);
        var mismatched = new List<string>();
        var unreadable = new List<string>();
        var count = 0;
        for (var index = 0; index < items; index++)
        {
            var outputs = await client.GetOutputsAsync(jobId, index, cancellationToken);
            foreach (var (role, blob) in outputs?.Blobs ?? new Dictionary<string, BlobRef>())
            {
                count++;
                var where = $"item {index} {role} ({blob.Name})";
                try
                {
                    var bytes = await ReadAsync(store, blob, cancellationToken);
                    if (Sha256Hex.Of(bytes) != blob.Sha256 || bytes.Length != blob.Length)
                        mismatched.Add(where);
                }
                catch (BlobNotFoundException)
                {
                    unreadable.Add($"{where}: not in the store");
                }
            }
        }
        return new Result(count, mismatched, unreadable);
    }

    private static async Task<byte[]> ReadAsync(IBlobStore store, BlobRef blob, CancellationToken cancellationToken)
    {
        if (blob.Offset is { } offset)
            return await store.ReadRangeAsync(blob.Name, offset, blob.Length, cancellationToken);
        await using var stream = await store.TryOpenReadAsync(blob.Name, cancellationToken) ?? throw new BlobNotFoundException(blob.Name);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken);
        return copy.ToArray();
    }
}
