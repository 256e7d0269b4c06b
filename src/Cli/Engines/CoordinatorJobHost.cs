using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator.Client;

namespace Pipeline.Cli.Engines;

/// <summary>A job on a running coordinator (<c>--coordinator URL</c>), through the same client as <c>pipeline submit</c>.</summary>
public sealed class CoordinatorJobHost(Uri coordinator, string apiKey) : IEditJobHost
{
    private readonly CoordinatorClient _client = new(coordinator, apiKey);

    public string Description => $"coordinator {coordinator}";

    public Task<BlobRef> UploadAsync(byte[] content, string contentType, CancellationToken cancellationToken) =>
        _client.UploadAsync(content, contentType, cancellationToken);

    public async Task<Guid> SubmitAsync(SubmitJobRequest request, CancellationToken cancellationToken) =>
        (await _client.SubmitAsync(request, cancellationToken)).JobId;

    public async Task<JobStatus> GetStatusAsync(Guid jobId, CancellationToken cancellationToken) =>
        await _client.GetStatusAsync(jobId, cancellationToken) ?? throw new InvalidOperationException($"job {jobId} is unknown to the coordinator");

    public Task<IReadOnlyList<ItemSummary>> ListItemsAsync(Guid jobId, CancellationToken cancellationToken) =>
        _client.ListAllItemsAsync(jobId, cancellationToken);

    public Task<ItemOutputs?> GetOutputsAsync(Guid jobId, int index, CancellationToken cancellationToken) =>
        _client.GetOutputsAsync(jobId, index, cancellationToken);

    public Task<byte[]> DownloadAsync(BlobRef blob, CancellationToken cancellationToken) => _client.DownloadAsync(blob, cancellationToken);

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
