using Pipeline.Contracts;
using Pipeline.Contracts.Api;

namespace Pipeline.Cli.Engines;

/// <summary>Where a <c>pipeline edit</c> job runs: the embedded pipeline in this process, or a running coordinator.
/// Both take the same path (upload, submit, poll, fetch outputs by claim check).</summary>
public interface IEditJobHost : IAsyncDisposable
{
    /// <summary>What the progress lines call it ("embedded pipeline", "coordinator http://…").</summary>
    string Description { get; }

    Task<BlobRef> UploadAsync(byte[] content, string contentType, CancellationToken cancellationToken);

    Task<Guid> SubmitAsync(SubmitJobRequest request, CancellationToken cancellationToken);

    Task<JobStatus> GetStatusAsync(Guid jobId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ItemSummary>> ListItemsAsync(Guid jobId, CancellationToken cancellationToken);

    Task<ItemOutputs?> GetOutputsAsync(Guid jobId, int index, CancellationToken cancellationToken);

    Task<byte[]> DownloadAsync(BlobRef blob, CancellationToken cancellationToken);
}
