using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator;
using Pipeline.Coordinator.Jobs;
using Pipeline.Embedded.Bench;
using Pipeline.Hosting.Bus;
using Pipeline.Hosting.Telemetry;
using Pipeline.Hosting.Workers;
using Pipeline.Storage;
using Pipeline.Workers.Deghost;
using Pipeline.Workers.DiffCam;
using Pipeline.Workers.Invert;

namespace Pipeline.Embedded;

/// <summary>The coordinator and the three stage workers in this process: in-memory transport, local blob folder,
/// SQLite. The registrations are the services' own (<see cref="CoordinatorRegistration"/> and each stage's
/// <see cref="StageWorker"/>), so a job takes the same path through sagas, batch consumers and blob claim checks as in
/// the distributed run.</summary>
public sealed class EmbeddedPipeline : IAsyncDisposable
{
    private static readonly TimeSpan StatusPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>The three stages, in the order of the method.</summary>
    public static IReadOnlyList<StageWorker> Stages { get; } = [new InvertWorker(), new DiffCamWorker(), new DeghostWorker()];
    private readonly IHost _host;

    private EmbeddedPipeline(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IBlobStore Blobs => _host.Services.GetRequiredService<IBlobStore>();

    /// <summary>Builds and starts the pipeline. <paramref name="addProcessors"/> registers the three stage processors
    /// (the method's: <see cref="AddEditingProcessors"/>; or test stand-ins); it is not called with
    /// <see cref="EmbeddedPipelineOptions.NoOpWorkers"/>.</summary>
    public static async Task<EmbeddedPipeline> StartAsync(EmbeddedPipelineOptions options, Action<IServiceCollection>? addProcessors,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.WorkDirectory);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = options.WorkDirectory,
        });
        builder.Configuration.AddInMemoryCollection(Defaults(options.WorkDirectory));
        builder.Configuration.AddInMemoryCollection(options.Settings);
        builder.AddPipelineTelemetry();
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));

        var services = builder.Services;
        services.AddBlobStore();
        services.AddCoordinatorServices();
        if (options.NoOpWorkers)
        {
            services.AddPipelineBus(builder.Configuration, x =>
            {
                x.AddCoordinatorEndpoints();
                NoOpStageConsumers.Register(x);
            });
        }
        else
        {
            foreach (var stage in Stages)
                services.AddStageServices(stage);
            addProcessors?.Invoke(services);
            services.AddPipelineBus(builder.Configuration, x =>
            {
                x.AddCoordinatorEndpoints();
                foreach (var stage in Stages)
                    stage.AddConsumer(x);
            });
        }

        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new EmbeddedPipeline(host);
    }

    /// <summary>The method behind all three stages (the Editing-backed processors), sharing one loaded model pack: what
    /// <c>pipeline edit</c> passes to <see cref="StartAsync"/>.</summary>
    public static void AddEditingProcessors(IServiceCollection services) =>
        services.AddEditingInvertProcessor().AddEditingDiffCamProcessor().AddEditingDeghostProcessor();

    /// <summary>Stores an image the way <c>POST /uploads</c> does (content-addressed), returning its claim check.</summary>
    public async Task<BlobRef> UploadAsync(byte[] content, string contentType, CancellationToken cancellationToken)
    {
        var extension = contentType == "image/jpeg" ? "jpg" : contentType == "image/png" ? "png" : "bin";
        var result = await Blobs.PutAsync(BlobNames.Upload(Sha256Hex.Of(content), extension), content, contentType, cancellationToken);
        return result.Blob;
    }

    public async Task<JobAccepted> SubmitAsync(SubmitJobRequest request, CancellationToken cancellationToken)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<JobSubmission>().SubmitAsync(request, cancellationToken);
    }

    public async Task CancelAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<JobSubmission>().CancelAsync(jobId, cancellationToken);
    }

    public Task<JobStatus?> GetStatusAsync(Guid jobId, CancellationToken cancellationToken) =>
        QueryAsync(queries => queries.GetStatusAsync(jobId, cancellationToken));

    public Task<IReadOnlyList<ItemSummary>> ListItemsAsync(Guid jobId, CancellationToken cancellationToken, string? state = null, int skip = 0,
        int take = JobQueries.MaxPageSize) =>
        QueryAsync(queries => queries.ListItemsAsync(jobId, state, skip, take, cancellationToken));

    public Task<ItemOutputs?> GetOutputsAsync(Guid jobId, int index, CancellationToken cancellationToken) =>
        QueryAsync(queries => queries.GetOutputsAsync(jobId, index, cancellationToken));

    /// <summary>Per stage, where the job's items spent their time (as <c>GET /jobs/{id}/timings</c>); null for an unknown job.</summary>
    public Task<JobTimings?> TimingsAsync(Guid jobId, CancellationToken cancellationToken) =>
        QueryAsync(queries => queries.GetTimingsAsync(jobId, cancellationToken));

    /// <summary>Waits until every item of the job is Completed, Failed or Cancelled, reporting progress.</summary>
    public async Task<JobStatus> WaitAsync(Guid jobId, IProgress<JobStatus>? progress, CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = await GetStatusAsync(jobId, cancellationToken) ?? throw new InvalidOperationException($"job {jobId} is unknown");
            progress?.Report(status);
            if (status.IsFinished)
                return status;
            await Task.Delay(StatusPollInterval, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private async Task<T> QueryAsync<T>(Func<JobQueries, Task<T>> query)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<JobQueries>());
    }

    private static Dictionary<string, string?> Defaults(string workDirectory) => new()
    {
        [$"{nameof(BusOptions)}:{nameof(BusOptions.Transport)}"] = nameof(TransportKind.InMemory),
        ["DatabaseOptions:Provider"] = "Sqlite",
        ["DatabaseOptions:ConnectionString"] = $"Data Source={Path.Combine(workDirectory, "pipeline.db")}",
        [$"{nameof(BlobStorageOptions)}:{nameof(BlobStorageOptions.Kind)}"] = nameof(BlobStoreKind.LocalFolder),
        [$"{nameof(BlobStorageOptions)}:{nameof(BlobStorageOptions.Root)}"] = Path.Combine(workDirectory, "blobs"),
    };
}
