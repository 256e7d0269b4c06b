using System.Globalization;
using Pipeline.Contracts;
using Pipeline.Launcher;
using Pipeline.Workers.Method;

namespace Pipeline.Cli.Commands.Distributed;

/// <summary>The settings the benches give the coordinator and worker processes they start on this machine's services
/// (<c>deploy/local/services.sh</c>): one place, so <c>bench pipeline</c> and <c>bench faults</c> run the same deployment.</summary>
public static class LocalServiceSettings
{
    public const string StartServices = "source deploy/local/services.sh && pipeline_services_start";

    public sealed record Connections(string Postgres, string RabbitMq, string Blobs);

    /// <summary>PIPELINE_POSTGRES, PIPELINE_RABBITMQ and PIPELINE_BLOBS, or null with the names of those missing.</summary>
    public static Connections? TryRead(out IReadOnlyList<string> missing)
    {
        string? Read(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        var (postgres, rabbitMq, blobs) = (Read("PIPELINE_POSTGRES"), Read("PIPELINE_RABBITMQ"), Read("PIPELINE_BLOBS"));
        missing = new[] { ("PIPELINE_POSTGRES", postgres), ("PIPELINE_RABBITMQ", rabbitMq), ("PIPELINE_BLOBS", blobs) }
            .Where(v => v.Item2 is null).Select(v => v.Item1).ToList();
        return postgres is null || rabbitMq is null || blobs is null ? null : new Connections(postgres, rabbitMq, blobs);
    }

    /// <summary>The services' connections, or null after one line on standard error that names the missing variables
    /// and how to start the services (a bench started without them ends with that line, not a stack trace).</summary>
    public static Connections? Require(string command)
    {
        if (TryRead(out var missing) is { } services)
            return services;
        Console.Error.WriteLine($"{command}: {string.Join(", ", missing)} not set: start the local services with `{StartServices}` first");
        return null;
    }

    /// <summary><see cref="Require"/>, then a connection attempt to each service: null after one line naming those that
    /// do not answer (the variables set, the services stopped since).</summary>
    public static async Task<Connections?> RequireRunningAsync(string command)
    {
        if (Require(command) is not { } services)
            return null;
        var down = await ServiceEndpoints.UnreachableAsync(ServiceEndpoints.Of(services), TimeSpan.FromSeconds(3));
        if (down.Count == 0)
            return services;
        Console.Error.WriteLine($"{command}: nothing answers on {string.Join(", ", down)}: start the local services with `{StartServices}` first");
        return null;
    }

    public static Dictionary<string, string?> Common(string rabbitMq, string blobs, string prefix, string container) => new()
    {
        ["BusOptions__Transport"] = "RabbitMq",
        ["BusOptions__RabbitMqUri"] = rabbitMq,
        ["BusOptions__Prefix"] = prefix,
        ["BusOptions__UnusedQueueExpiry"] = RunScopedBus.UnusedQueueExpiry,
        ["BlobStorageOptions__Kind"] = "Azure",
        ["BlobStorageOptions__ConnectionString"] = blobs,
        ["BlobStorageOptions__Container"] = container,
        ["DOTNET_gcServer"] = "0",
        // As deploy/local/up.sh and k8s/config.yaml: rarer collections (docs/distributed.md, TorchSharp's implicit Scalars).
        ["DOTNET_GCgen0size"] = "0x4000000",
        // As the embedded run (warnings only): per-request and per-SQL-command logging costs CPU the stages need.
        // The stage workers' batch lines stay: they say where a batch's time goes.
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Pipeline.Workers"] = "Information",
        // Three libtorch processes share the cores: OpenMP threads that spin while idle would take them from the
        // process that has work.
        ["OMP_WAIT_POLICY"] = "PASSIVE",
    };

    public static Dictionary<string, string?> Coordinator(IReadOnlyDictionary<string, string?> common, string database, string apiKey) =>
        new(common)
        {
            ["DatabaseOptions__Provider"] = "Postgres",
            ["DatabaseOptions__ConnectionString"] = database,
            ["ApiOptions__ApiKeys__0"] = apiKey,
        };

    /// <param name="threads">libtorch threads (0 = a third of the cores, at least 1).</param>
    public static Dictionary<string, string?> Worker(IReadOnlyDictionary<string, string?> common, string modelsDir, int batch, int batchWaitMs,
        int threads)
    {
        var env = new Dictionary<string, string?>(common);
        foreach (var (key, value) in WorkerSettings(modelsDir, batch, batchWaitMs))
            env[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        // Three libtorch processes on the cores the embedded run gives to one: each takes its share, or their thread
        // pools oversubscribe the cores and spend CPU contending (measured: docs/benchmarks.md).
        env[$"{ModelOptions.Section}__{nameof(ModelOptions.Threads)}"] =
            (threads > 0 ? threads : Math.Max(1, Environment.ProcessorCount / Enum.GetValues<Stage>().Length)).ToString(CultureInfo.InvariantCulture);
        return env;
    }

    /// <summary>The stage settings as configuration keys (the embedded pipeline takes them as they are).</summary>
    public static Dictionary<string, string?> WorkerSettings(string modelsDir, int batch, int batchWaitMs) => new()
    {
        [$"{ModelOptions.Section}:{nameof(ModelOptions.Directory)}"] = modelsDir,
        ["WorkerOptions:MaxBatchSize"] = batch.ToString(CultureInfo.InvariantCulture),
        ["WorkerOptions:MaxBatchWait"] = TimeSpan.FromMilliseconds(batchWaitMs).ToString("c", CultureInfo.InvariantCulture),
    };
}
