using Azure;
using Azure.Storage.Blobs;

namespace Pipeline.Storage;

/// <summary>Removes a run's blob container once the run is over (benchmarks, service tests). Azurite keeps the metadata
/// of every blob it ever stored in one in-memory database, and its CPU per request grows with what earlier runs left
/// behind (measured in docs/benchmarks.md: 118 against 30–36 ms of Azurite CPU per item).</summary>
public static class AzureContainerCleanup
{
    /// <summary>Deletes <paramref name="container"/>; false when the store could not be reached or the connection string
    /// is not one (cleanup is best effort: it must not hide the result of the run it follows).</summary>
    public static async Task<bool> TryDeleteAsync(string connectionString, string container, CancellationToken cancellationToken)
    {
        try
        {
            await new BlobServiceClient(connectionString).GetBlobContainerClient(container).DeleteIfExistsAsync(cancellationToken: cancellationToken);
            return true;
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or AggregateException or OperationCanceledException
                                   or FormatException or ArgumentException)
        {
            return false;
        }
    }
}
