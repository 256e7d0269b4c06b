using System.Diagnostics;
using Pipeline.Contracts;
using Pipeline.Coordinator.Client;
using Pipeline.Launcher;
using Pipeline.Launcher.Faults;
using Pipeline.Storage;
using Xunit.Abstractions;

namespace Pipeline.Distributed.Tests.Support;

/// <summary>The pipeline as separate processes on the real services: the coordinator (the product binary) and one
/// worker process per stage: by default the test workers (the product's worker hosting around the deterministic test
/// processors), with <c>realWorkers</c> the product's worker binaries running the method on the demo pack. Each
/// deployment has its own database, queue/exchange prefix and blob container, so tests do not see each other.</summary>
public sealed class Deployment : IAsyncDisposable
{
    public const string ApiKey = "service-test-key";
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly ITestOutputHelper _output;
    private readonly TestDatabase _database;
    private readonly Dictionary<Stage, ServiceProcess> _workers = [];
    private readonly Dictionary<Stage, int> _workerStarts = [];
    private readonly IReadOnlyDictionary<string, string> _workerSettings;
    private readonly bool _realWorkers;
    private readonly int _coordinatorPort = ServiceProcess.FreePort();

    private Deployment(ITestOutputHelper output, IReadOnlyDictionary<string, string> workerSettings, bool realWorkers)
    {
        _output = output;
        _workerSettings = workerSettings;
        _realWorkers = realWorkers;
        _database = new TestDatabase();
        Folder = new TempDirectory("pipeline-deployment");
        var id = Guid.NewGuid().ToString("N");
        Common = new Dictionary<string, string?>
        {
            ["BusOptions__Transport"] = "RabbitMq",
            ["BusOptions__RabbitMqUri"] = ServiceEnvironment.Require(ServiceVariables.RabbitMq),
            ["BusOptions__Prefix"] = $"t{id[..10]}-",
            ["BusOptions__UnusedQueueExpiry"] = RunScopedBus.UnusedQueueExpiry,
            ["BusOptions__RetryLimit"] = "5",
            ["BusOptions__RetryMinInterval"] = "00:00:00.200",
            ["BusOptions__RetryMaxInterval"] = "00:00:03",
            ["BusOptions__RedeliveryCount"] = "0",
            ["BlobStorageOptions__Kind"] = "Azure",
            ["BlobStorageOptions__ConnectionString"] = ServiceEnvironment.Require(ServiceVariables.Blobs),
            ["BlobStorageOptions__Container"] = $"t{id}",
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["Logging__LogLevel__MassTransit.Messages"] = Environment.GetEnvironmentVariable("PIPELINE_TEST_MT_LOG") ?? "Information",
        };
    }

    public TempDirectory Folder { get; }

    public IReadOnlyDictionary<string, string?> Common { get; }

    public ServiceProcess Coordinator { get; private set; } = null!;

    public CoordinatorClient Client { get; private set; } = null!;

    /// <summary>Every blob write journal of every worker process this deployment started (killed ones included).</summary>
    public IEnumerable<string> WriteJournals => Directory.EnumerateFiles(Folder.Path, "*.journal");

    public static async Task<Deployment> StartAsync(ITestOutputHelper output, IReadOnlyDictionary<string, string>? workerSettings = null,
        bool realWorkers = false)
    {
        var deployment = new Deployment(output, workerSettings ?? new Dictionary<string, string>(), realWorkers);
        try
        {
            var clock = Stopwatch.StartNew();
            deployment.StartCoordinator();
            foreach (var stage in Enum.GetValues<Stage>())
                deployment.StartWorker(stage);
            await deployment.WaitReadyAsync();
            deployment.Client = new CoordinatorClient(deployment.Coordinator.Url, ApiKey);
            output.WriteLine($"deployment ready in {clock.Elapsed.TotalSeconds:F1} s");
            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    public ServiceProcess Worker(Stage stage) => _workers[stage];

    public async Task RestartCoordinatorAsync()
    {
        await Coordinator.KillHardAsync();
        await Coordinator.DisposeAsync();
        StartCoordinator();
        await Coordinator.WaitReadyAsync(StartTimeout);
    }

    public async Task KillAndRestartWorkerAsync(Stage stage)
    {
        var worker = _workers[stage];
        await worker.KillHardAsync();
        await worker.DisposeAsync();
        StartWorker(stage);
        await _workers[stage].WaitReadyAsync(StartTimeout);
    }

    /// <summary>Runs a function of deploy/local/services.sh (e.g. pipeline_rabbitmq_stop).</summary>
    public static Task ServicesAsync(string commands) => LocalServices.RunAsync(commands);

    /// <summary>The deployment's settings, database and folders without its processes: for a run that starts and kills
    /// them itself (<see cref="FaultRun"/>, through <see cref="CoordinatorEnvironment"/> and <see cref="WorkerEnvironment"/>).</summary>
    public static Deployment Prepare(ITestOutputHelper output, IReadOnlyDictionary<string, string>? workerSettings = null) =>
        new(output, workerSettings ?? new Dictionary<string, string>(), realWorkers: false);

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        foreach (var worker in _workers.Values)
            await worker.DisposeAsync();
        if (Coordinator is not null)
            await Coordinator.DisposeAsync();
        if (Environment.GetEnvironmentVariable("PIPELINE_TEST_KEEP_LOGS") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            foreach (var log in Directory.EnumerateFiles(Folder.Path, "*.log"))
                File.Copy(log, Path.Combine(keep, Path.GetFileName(log)), overwrite: true);
        }
        foreach (var log in Directory.EnumerateFiles(Folder.Path, "*.log"))
        {
            _output.WriteLine($"---- {Path.GetFileName(log)} (last lines)");
            foreach (var line in File.ReadLines(log).TakeLast(25))
                _output.WriteLine(line);
        }
        // Left in Azurite, every test's blobs would make each later request of every run slower.
        await AzureContainerCleanup.TryDeleteAsync(Common["BlobStorageOptions__ConnectionString"]!, Common["BlobStorageOptions__Container"]!, CancellationToken.None);
        await _database.DisposeAsync();
        Folder.Dispose();
    }

    private void StartCoordinator() =>
        Coordinator = ServiceProcess.Start("coordinator", ServiceBinaries.Coordinator, CoordinatorEnvironment(), _coordinatorPort,
            Path.Combine(Folder.Path, "coordinator.log"));

    public Dictionary<string, string?> CoordinatorEnvironment() => new(Common)
    {
        ["DatabaseOptions__Provider"] = "Postgres",
        ["DatabaseOptions__ConnectionString"] = _database.ConnectionString,
        ["ApiOptions__ApiKeys__0"] = ApiKey,
    };

    private void StartWorker(Stage stage)
    {
        var start = _workerStarts[stage] = _workerStarts.GetValueOrDefault(stage) + 1;
        var name = $"{stage.ToString().ToLowerInvariant()}-{start}";
        _workers[stage] = ServiceProcess.Start(name, WorkerBinary(stage), WorkerEnvironment(stage, name), ServiceProcess.FreePort(),
            Path.Combine(Folder.Path, $"{name}.log"));
    }

    public string WorkerBinary(Stage stage) => _realWorkers ? ServiceBinaries.Worker(stage) : RepositoryPaths.TestWorkers;

    /// <summary>Settings of the worker process <paramref name="name"/> of <paramref name="stage"/> (its write journal is
    /// named after it).</summary>
    public Dictionary<string, string?> WorkerEnvironment(Stage stage, string name)
    {
        var environment = new Dictionary<string, string?>(Common)
        {
            ["TestProcessorOptions__Stage"] = stage.ToString(),
            ["TestProcessorOptions__ImageSize"] = TestImages.Size.ToString(),
            ["WorkerOptions__MaxBatchSize"] = "4",
            ["WorkerOptions__MaxBatchWait"] = "00:00:00.100",
            ["WorkerOptions__ShutdownTimeout"] = "00:00:10",
            ["BlobStorageOptions__WriteJournal"] = Path.Combine(Folder.Path, $"{name}.journal"),
        };
        if (_realWorkers)
            environment["Models__Directory"] = RepositoryPaths.DemoPack;
        foreach (var (key, value) in _workerSettings)
            environment[key] = value;
        return environment;
    }

    private async Task WaitReadyAsync() =>
        await Task.WhenAll(_workers.Values.Append(Coordinator).Select(service => service.WaitReadyAsync(StartTimeout)));
}
