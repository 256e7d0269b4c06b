using System.CommandLine;
using System.Data.Common;
using Pipeline.Contracts;
using Pipeline.Editing.Bench;
using Pipeline.Hosting;
using Pipeline.Launcher;
using Pipeline.Launcher.Faults;
using Pipeline.Storage;
using Pipeline.Workers.Method;

namespace Pipeline.Cli.Commands.Distributed;

/// <summary>
/// <c>pipeline bench faults --items 200 --kills 20 --seed S</c>: one job through two coordinator processes (one database,
/// one queue prefix) and the three real workers on the demo pack, on this machine's PostgreSQL, RabbitMQ and Azurite,
/// while a seeded schedule kills and restarts service processes, stops PostgreSQL, restarts RabbitMQ inside that
/// outage, and turns a storage storm on in a blob proxy in front of Azurite (<see cref="FaultRun"/>). Prints the table
/// and PASS/FAIL per requirement; exits non-zero on any FAIL. The outages hit every other user of those services.
/// </summary>
public static class BenchFaultsCommand
{
    public static Command Create()
    {
        var items = new Option<int>("--items") { Description = "items in the job", DefaultValueFactory = _ => 200 };
        var kills = new Option<int>("--kills") { Description = "SIGKILLs of a service process, each restarted after a seeded delay", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "seed of the fault schedule and the storm", DefaultValueFactory = _ => 1 };
        var pgOutage = new Option<int>("--pg-outage") { Description = "seconds PostgreSQL is stopped (0: no outage)", DefaultValueFactory = _ => 180 };
        var rabbitMq = new Option<bool>("--rabbitmq-restart") { Description = "restart RabbitMQ inside the PostgreSQL outage", DefaultValueFactory = _ => true };
        var storm = new Option<int>("--storm") { Description = "seconds of storage storm: 503s and slow answers (0: none)", DefaultValueFactory = _ => 30 };
        var deadline = new Option<int>("--deadline") { Description = "seconds the run waits for the job at most", DefaultValueFactory = _ => 1800 };
        var quiet = new Option<int>("--quiet-limit") { Description = "after the last fault, stop when the job has not moved for this many seconds", DefaultValueFactory = _ => 300 };
        var maxInFlight = new Option<int>("--max-in-flight") { Description = "items in flight per job", DefaultValueFactory = _ => 16 };
        var batch = new Option<int>("--batch") { Description = "WorkerOptions:MaxBatchSize of every stage", DefaultValueFactory = _ => 4 };
        var models = new Option<string?>("--models") { Description = "model pack (default: the repository's models/demo)" };
        var input = new Option<string?>("--input") { Description = "folder of images, repeated to --items (default: the repository's samples/)" };
        var output = new Option<FileInfo?>("--out") { Description = "also write the report as JSON to this file" };
        var stageDeadline = new Option<int>("--stage-deadline")
        {
            Description = "CoordinatorOptions:StageDeadline of the coordinators, in seconds: items without progress this long are driven again",
            DefaultValueFactory = _ => 120,
        };
        var cmd = new Command("faults", "kills, a PostgreSQL outage, a RabbitMQ restart and a storage storm during one job; checks nothing is lost or written twice")
        {
            items, kills, seed, pgOutage, rabbitMq, storm, deadline, quiet, maxInFlight, batch, models, input, output, stageDeadline,
        };
        cmd.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(items), parse.GetValue(kills), parse.GetValue(seed),
            parse.GetValue(pgOutage), parse.GetValue(rabbitMq), parse.GetValue(storm), parse.GetValue(deadline), parse.GetValue(quiet),
            parse.GetValue(maxInFlight), parse.GetValue(batch), parse.GetValue(models), parse.GetValue(input), parse.GetValue(output), parse.GetValue(stageDeadline), cancellationToken));
        return cmd;
    }

    static async Task<int> RunAsync(int items, int kills, int seed, int pgOutage, bool rabbitMq, int storm, int deadline, int quiet,
        int maxInFlight, int batch, string? models, string? input, FileInfo? output, int stageDeadline, CancellationToken cancellationToken)
    {
        if (items < 1 || kills < 0 || pgOutage < 0 || storm < 0 || deadline < 1 || quiet < 1 || maxInFlight < 1 || batch < 1 || stageDeadline < 1)
        {
            Console.Error.WriteLine("bench faults: --items, --deadline, --quiet-limit, --max-in-flight, --batch and --stage-deadline must be at least 1; --kills, --pg-outage and --storm at least 0");
            return ExitCodes.BadInput;
        }
        if (await LocalServiceSettings.RequireRunningAsync("bench faults") is not { } services)
            return ExitCodes.BadInput;
        var modelsDir = Path.GetFullPath(models ?? RepositoryRoot.PathOf(ModelOptions.DemoPack));
        var inputDir = input ?? RepositoryRoot.PathOf("samples");
        var images = Directory.EnumerateFiles(inputDir, "*.png").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        if (images.Count == 0)
        {
            Console.Error.WriteLine($"bench faults: no .png image in {inputDir}");
            return ExitCodes.BadInput;
        }

        var id = Guid.NewGuid().ToString("N")[..10];
        var container = $"faults{id}";
        var prefix = $"faults{id}-";
        var database = new DbConnectionStringBuilder { ConnectionString = services.Postgres };
        database["Database"] = $"faults_{id}";
        var apiKey = Guid.NewGuid().ToString("N");
        var logs = Directory.CreateTempSubdirectory("pipeline-bench-faults");
        var settings = new FaultSettings(items, kills, seed, TimeSpan.FromSeconds(pgOutage), rabbitMq, TimeSpan.FromSeconds(storm),
            TimeSpan.FromSeconds(deadline), TimeSpan.FromSeconds(quiet));

        IReadOnlyList<ServiceSpec> Specs(string blobs)
        {
            var common = LocalServiceSettings.Common(services.RabbitMq, blobs, prefix, container);
            // The deadline is part of what is under test: shorter than the default so that an item left behind is
            // driven again within the run.
            var coordinator = new Dictionary<string, string?>(LocalServiceSettings.Coordinator(common, database.ConnectionString, apiKey))
            {
                ["CoordinatorOptions__StageDeadline"] = TimeSpan.FromSeconds(stageDeadline).ToString(),
                ["CoordinatorOptions__DeadlineScanInterval"] = TimeSpan.FromSeconds(Math.Clamp(stageDeadline / 8, 1, 30)).ToString(),
            };
            var specs = new List<ServiceSpec>
            {
                new("coordinator-1", ServiceBinaries.Coordinator, coordinator),
                new("coordinator-2", ServiceBinaries.Coordinator, coordinator),
            };
            foreach (var stage in Enum.GetValues<Stage>())
                specs.Add(new ServiceSpec(stage.ToString().ToLowerInvariant(), ServiceBinaries.Worker(stage),
                    LocalServiceSettings.Worker(common, modelsDir, batch, 100, 0)));
            return specs;
        }

        var setup = new FaultRunSetup(settings, Specs, apiKey, services.Blobs, container, prefix,
            async (client, token) =>
            {
                var uploads = new List<BlobRef>();
                foreach (var image in images)
                    uploads.Add(await client.UploadAsync(image, "image/png", token));
                return BenchPipelineCommand.Job(uploads, items, maxInFlight);
            },
            logs.FullName, SystemLoad.Read, line => Console.Error.WriteLine($"[faults] {line}"));
        FaultReport report;
        try
        {
            report = await FaultRun.RunAsync(setup, cancellationToken);
        }
        finally
        {
            if (!await AzureContainerCleanup.TryDeleteAsync(services.Blobs, container, CancellationToken.None))
                Console.Error.WriteLine($"[faults] could not delete blob container {container} (left in the store)");
        }
        Console.Out.Write(report.ToTable());
        Console.Error.WriteLine($"[faults] service logs: {logs.FullName}");
        if (output is not null)
        {
            output.Directory?.Create();
            await File.WriteAllTextAsync(output.FullName, report.ToJson(), cancellationToken);
        }
        return report.Passed ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
