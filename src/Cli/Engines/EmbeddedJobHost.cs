using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator.Jobs;
using Pipeline.Editing.Method;
using Pipeline.Editing.Runtime;
using Pipeline.Embedded;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Deghost;
using Pipeline.Workers.DiffCam;
using Pipeline.Workers.Invert;
using Pipeline.Workers.Method;

namespace Pipeline.Cli.Engines;

/// <summary>The coordinator and the three Editing-backed workers in this process (<see cref="EmbeddedPipeline"/>), in a
/// scratch folder (SQLite + blob folder) that is deleted afterwards; the stages share one loaded model pack.</summary>
public sealed class EmbeddedJobHost : IEditJobHost
{
    private readonly EmbeddedPipeline _pipeline;
    private readonly string _work;

    private EmbeddedJobHost(EmbeddedPipeline pipeline, string work)
    {
        _pipeline = pipeline;
        _work = work;
    }

    public string Description => "embedded pipeline";

    /// <summary>The model pack the stages loaded (for provenance and up-front checks).</summary>
    public EditModels Models => _pipeline.Services.GetRequiredService<LoadedModels>().EnsureLoaded();

    /// <summary>Starts the pipeline and waits until the model pack is loaded (a bad pack fails here, not per item).</summary>
    /// <param name="device">where the stages run the pack (<c>Models:Device</c>; null: cpu)</param>
    public static async Task<EmbeddedJobHost> StartAsync(string modelsDirectory, int batchSize, CancellationToken cancellationToken,
        IDictionary<string, string?>? settings = null, ComputeDevice? device = null)
    {
        var work = Directory.CreateTempSubdirectory("pipeline-edit-").FullName;
        var all = new Dictionary<string, string?>
        {
            [$"{ModelOptions.Section}:{nameof(ModelOptions.Directory)}"] = modelsDirectory,
            [$"{ModelOptions.Section}:{nameof(ModelOptions.Device)}"] = (device ?? ComputeDevice.Cpu).Name,
            ["WorkerOptions:MaxBatchSize"] = Math.Max(1, batchSize).ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Every item is submitted at once, so a batch fills fast; a short wait keeps the last, partial one quick.
            ["WorkerOptions:MaxBatchWait"] = "00:00:00.050",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        EmbeddedPipeline? pipeline = null;
        try
        {
            pipeline = await EmbeddedPipeline.StartAsync(
                new EmbeddedPipelineOptions { WorkDirectory = work, Settings = all, MinimumLogLevel = Microsoft.Extensions.Logging.LogLevel.Error },
                EmbeddedPipeline.AddEditingProcessors,
                cancellationToken);
            var host = new EmbeddedJobHost(pipeline, work);
            _ = host.Models;
            // Every stage's loader must have finished before the host can be stopped: a loader still running while the
            // pack is disposed would touch freed tensors.
            var services = pipeline.Services;
            await Task.WhenAll(
                services.GetRequiredService<ProcessorReadiness<IInvertProcessor>>().WaitAsync(cancellationToken),
                services.GetRequiredService<ProcessorReadiness<IDiffCamProcessor>>().WaitAsync(cancellationToken),
                services.GetRequiredService<ProcessorReadiness<IDeghostProcessor>>().WaitAsync(cancellationToken));
            return host;
        }
        catch
        {
            if (pipeline is not null)
                await pipeline.DisposeAsync();
            Directory.Delete(work, recursive: true);
            throw;
        }
    }

    public Task<BlobRef> UploadAsync(byte[] content, string contentType, CancellationToken cancellationToken) =>
        _pipeline.UploadAsync(content, contentType, cancellationToken);

    public async Task<Guid> SubmitAsync(SubmitJobRequest request, CancellationToken cancellationToken) =>
        (await _pipeline.SubmitAsync(request, cancellationToken)).JobId;

    public async Task<JobStatus> GetStatusAsync(Guid jobId, CancellationToken cancellationToken) =>
        await _pipeline.GetStatusAsync(jobId, cancellationToken) ?? throw new InvalidOperationException($"job {jobId} is unknown");

    public async Task<IReadOnlyList<ItemSummary>> ListItemsAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var all = new List<ItemSummary>();
        while (true)
        {
            var page = await _pipeline.ListItemsAsync(jobId, cancellationToken, skip: all.Count, take: JobQueries.MaxPageSize);
            all.AddRange(page);
            if (page.Count < JobQueries.MaxPageSize)
                return all;
        }
    }

    public Task<ItemOutputs?> GetOutputsAsync(Guid jobId, int index, CancellationToken cancellationToken) =>
        _pipeline.GetOutputsAsync(jobId, index, cancellationToken);

    public async Task<byte[]> DownloadAsync(BlobRef blob, CancellationToken cancellationToken) =>
        (await _pipeline.Blobs.GetAsync(blob, cancellationToken)).ToArray();

    public async ValueTask DisposeAsync()
    {
        await _pipeline.DisposeAsync();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // A scratch folder left in /tmp is harmless; the edit's outputs are already written.
        }
    }
}
