using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator;
using Pipeline.Coordinator.Client;
using Pipeline.Embedded;
using Pipeline.Hosting;
using Pipeline.Hosting.Bus;
using Pipeline.Hosting.Workers;
using Pipeline.Storage;
using Pipeline.TestWorkers;

namespace Pipeline.Distributed.Tests.Support;

/// <summary>The coordinator's HTTP API on a real loopback port (a browser can open it) with the deterministic test
/// stage workers on the same in-memory bus, SQLite and a local blob folder: jobs run to the end in a second or two.</summary>
public sealed class CoordinatorWithTestWorkers : IAsyncDisposable
{
    public const string ApiKey = "jobs-test-key-5b1c";
    public const int ImageSize = 64;
    private readonly TempDirectory _folder;

    private CoordinatorWithTestWorkers(TempDirectory folder, WebApplication app, Uri address)
    {
        _folder = folder;
        App = app;
        Address = address;
        Client = new CoordinatorClient(address, ApiKey);
    }

    public WebApplication App { get; }
    public Uri Address { get; }
    public CoordinatorClient Client { get; }
    public IServiceProvider Services => App.Services;

    public static async Task<CoordinatorWithTestWorkers> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var folder = new TempDirectory("pipeline-jobs-api");
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DatabaseOptions:ConnectionString"] = $"Data Source={Path.Combine(folder.Path, "coordinator.db")}",
            ["BlobStorageOptions:Root"] = Path.Combine(folder.Path, "blobs"),
            ["ApiOptions:ApiKeys:0"] = ApiKey,
            ["WorkerOptions:MaxBatchSize"] = "4",
            ["WorkerOptions:MaxBatchWait"] = "00:00:00.020",
            ["BusOptions:RetryLimit"] = "2",
            ["BusOptions:RetryMinInterval"] = "00:00:00.010",
            ["BusOptions:RetryMaxInterval"] = "00:00:00.050",
            ["BusOptions:RedeliveryCount"] = "0",
            ["TestProcessorOptions:ImageSize"] = ImageSize.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.AddServiceDefaults();
        var services = builder.Services;
        services.AddBlobStore();
        services.AddCoordinatorServices();
        foreach (var stage in EmbeddedPipeline.Stages)
            services.AddStageServices(stage);
        services.AddTestProcessors(Stage.Invert, Stage.DiffCam, Stage.Deghost);
        services.AddPipelineBus(builder.Configuration, x =>
        {
            x.AddCoordinatorEndpoints();
            foreach (var stage in EmbeddedPipeline.Stages)
                stage.AddConsumer(x);
        });
        services.AddCoordinatorApi();
        var app = builder.Build();
        app.MapCoordinator();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new CoordinatorWithTestWorkers(folder, app, new Uri(address));
    }

    /// <summary>An HTTP client of the API with the key, or without any credential; it keeps no cookies (a test sends
    /// the ones it means to).</summary>
    public HttpClient Http(bool withKey = true)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Address };
        if (withKey)
            http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return http;
    }

    /// <summary>Uploads <paramref name="images"/>, submits them as one job and, unless told not to, waits for its end.</summary>
    public async Task<JobStatus> RunAsync(IEnumerable<byte[]> images, IReadOnlyList<EditSpec>? edits = null, bool wait = true)
    {
        var items = new List<JobItemSpec>();
        foreach (var image in images)
            items.Add(new JobItemSpec(await Client.UploadAsync(image, "image/png", CancellationToken.None)));
        var accepted = await Client.SubmitAsync(new SubmitJobRequest(items, edits ?? Jobs.TwoEdits), CancellationToken.None);
        using var timeout = new CancellationTokenSource(EmbeddedHarness.JobTimeout);
        return wait
            ? await Client.WaitAsync(accepted.JobId, null, TimeSpan.FromMilliseconds(50), timeout.Token)
            : (await Client.GetStatusAsync(accepted.JobId, timeout.Token))!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _folder.Dispose();
    }
}
