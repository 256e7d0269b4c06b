using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Embedded;
using Pipeline.TestWorkers;

namespace Pipeline.Distributed.Tests.Support;

/// <summary>An <see cref="EmbeddedPipeline"/> with the deterministic test processors, tuned for fast tests
/// (short batch wait, few retries, no delayed redelivery), in its own temp folder.</summary>
public sealed class EmbeddedHarness : IAsyncDisposable
{
    public static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _folder;

    private EmbeddedHarness(TempDirectory folder, EmbeddedPipeline pipeline)
    {
        _folder = folder;
        Pipeline = pipeline;
    }

    public EmbeddedPipeline Pipeline { get; }

    public ProcessorCalls Calls => Pipeline.Services.GetRequiredService<ProcessorCalls>();

    /// <param name="configure">called after the pipeline's own registrations (e.g. to decorate the blob store)</param>
    public static async Task<EmbeddedHarness> StartAsync(IDictionary<string, string?>? settings = null, bool noOpWorkers = false,
        Action<IServiceCollection>? configure = null)
    {
        var folder = new TempDirectory("pipeline-embedded");
        var all = new Dictionary<string, string?>
        {
            ["WorkerOptions:MaxBatchSize"] = "4",
            ["WorkerOptions:MaxBatchWait"] = "00:00:00.020",
            ["BusOptions:RetryLimit"] = "2",
            ["BusOptions:RetryMinInterval"] = "00:00:00.010",
            ["BusOptions:RetryMaxInterval"] = "00:00:00.050",
            ["BusOptions:RedeliveryCount"] = "0",
            ["CoordinatorOptions:OutageRetryLimit"] = "2",
            ["CoordinatorOptions:OutageRetryMaxInterval"] = "00:00:00.050",
            ["TestProcessorOptions:ImageSize"] = TestImages.Size.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        var pipeline = await EmbeddedPipeline.StartAsync(
            new EmbeddedPipelineOptions { WorkDirectory = folder.Path, Settings = all, NoOpWorkers = noOpWorkers },
            services =>
            {
                services.AddTestProcessors(Stage.Invert, Stage.DiffCam, Stage.Deghost);
                configure?.Invoke(services);
            },
            CancellationToken.None);
        return new EmbeddedHarness(folder, pipeline);
    }

    public async Task<List<JobItemSpec>> UploadAsync(IEnumerable<byte[]> images, IReadOnlyList<EditSpec>? edits = null)
    {
        var items = new List<JobItemSpec>();
        foreach (var image in images)
            items.Add(new JobItemSpec(await Pipeline.UploadAsync(image, "image/png", CancellationToken.None), edits));
        return items;
    }

    public async Task<JobStatus> RunAsync(SubmitJobRequest request, IProgress<JobStatus>? progress = null)
    {
        var accepted = await Pipeline.SubmitAsync(request, CancellationToken.None);
        using var timeout = new CancellationTokenSource(JobTimeout);
        return await Pipeline.WaitAsync(accepted.JobId, progress, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await Pipeline.DisposeAsync();
        _folder.Dispose();
    }
}
