using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator.Sagas;
using Pipeline.Embedded;
using Pipeline.Launcher;

namespace Pipeline.Cli.Commands.Distributed;

/// <summary><c>pipeline bench coordinator</c>: the sagas alone. The embedded pipeline runs with no-op stage workers
/// (they answer every command at once, touching no blob and no model), so what is measured is the coordinator:
/// item events consumed by the sagas per second, each one a load and an optimistic save.</summary>
public static class BenchCoordinatorCommand
{
    /// <summary>Messages the sagas consume per item: StartItem, ItemInverted, ItemDiffCamCompleted, ItemDeghosted (item saga)
    /// and ItemCompleted (job saga).</summary>
    private static readonly HashSet<Type> ItemEvents =
        [typeof(StartItem), typeof(ItemInverted), typeof(ItemDiffCamCompleted), typeof(ItemDeghosted), typeof(ItemCompleted), typeof(ItemFailed)];

    public static Command Create()
    {
        var items = new Option<int>("--items") { Description = "items per job", DefaultValueFactory = _ => 2000 };
        var jobs = new Option<int>("--jobs") { Description = "jobs submitted at once", DefaultValueFactory = _ => 1 };
        var maxInFlight = new Option<int>("--max-in-flight") { Description = "items in flight per job", DefaultValueFactory = _ => 128 };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string (default: SQLite in a temp folder)" };
        var rabbitMq = new Option<string?>("--rabbitmq") { Description = "amqp:// URI (default: in-memory transport)" };
        var concurrency = new Option<int>("--saga-concurrency") { Description = "messages per saga endpoint at once", DefaultValueFactory = _ => 16 };
        var warmup = new Option<int>("--warmup-items") { Description = "items of an unmeasured job run first (JIT, pools)", DefaultValueFactory = _ => 300 };
        var cmd = new Command("coordinator", "item events per second through the job and item sagas, with no-op workers")
        {
            items, jobs, maxInFlight, postgres, rabbitMq, concurrency, warmup,
        };
        cmd.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(items), parse.GetValue(jobs), parse.GetValue(maxInFlight),
            parse.GetValue(postgres), parse.GetValue(rabbitMq), parse.GetValue(concurrency), parse.GetValue(warmup), Console.Out, cancellationToken));
        return cmd;
    }

    public static async Task<int> RunAsync(int itemCount, int jobCount, int maxInFlight, string? postgres, string? rabbitMq, int sagaConcurrency,
        int warmupItems, TextWriter output, CancellationToken cancellationToken)
    {
        if (itemCount < 1 || jobCount < 1 || maxInFlight < 1)
        {
            Console.Error.WriteLine("bench coordinator: --items, --jobs and --max-in-flight must be at least 1");
            return ExitCodes.BadInput;
        }
        var folder = Directory.CreateTempSubdirectory("pipeline-bench-coordinator");
        var settings = new Dictionary<string, string?>
        {
            ["CoordinatorOptions:SagaConcurrency"] = sagaConcurrency.ToString(CultureInfo.InvariantCulture),
            ["BusOptions:Prefix"] = $"bench{Guid.NewGuid():N}"[..13] + "-",
            ["BusOptions:UnusedQueueExpiry"] = RunScopedBus.UnusedQueueExpiry,
        };
        if (postgres is not null)
        {
            settings["DatabaseOptions:Provider"] = "Postgres";
            settings["DatabaseOptions:ConnectionString"] = postgres;
        }
        if (rabbitMq is not null)
        {
            settings["BusOptions:Transport"] = "RabbitMq";
            settings["BusOptions:RabbitMqUri"] = rabbitMq;
        }
        try
        {
            await using var pipeline = await EmbeddedPipeline.StartAsync(
                new EmbeddedPipelineOptions { WorkDirectory = folder.FullName, Settings = settings, NoOpWorkers = true }, null, cancellationToken);
            var source = await pipeline.UploadAsync([0x89, 0x50, 0x4E, 0x47], "image/png", cancellationToken);
            SubmitJobRequest Job(int count) =>
                new(Enumerable.Repeat(new JobItemSpec(source), count).ToList(), [new EditSpec("age", 1)], MaxInFlight: maxInFlight);
            if (warmupItems > 0)
            {
                var warm = await pipeline.SubmitAsync(Job(warmupItems), cancellationToken);
                await pipeline.WaitAsync(warm.JobId, null, cancellationToken);
            }
            var request = Job(itemCount);
            var counter = new ItemEventCounter();
            using var observer = pipeline.Services.GetRequiredService<IBus>().ConnectConsumeObserver(counter);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;

            var clock = Stopwatch.StartNew();
            var accepted = await Task.WhenAll(Enumerable.Range(0, jobCount).Select(_ => pipeline.SubmitAsync(request, cancellationToken)));
            var statuses = await Task.WhenAll(accepted.Select(job => pipeline.WaitAsync(job.JobId, null, cancellationToken)));
            clock.Stop();

            var completed = statuses.Sum(s => s.Completed);
            var seconds = clock.Elapsed.TotalSeconds;
            var conflicts = pipeline.Services.GetRequiredService<SagaConflictCounter>().Count;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bench coordinator: {jobCount} job(s) × {itemCount} items, {maxInFlight} in flight, {(postgres is null ? "SQLite" : "PostgreSQL")}, " +
                $"{(rabbitMq is null ? "in-memory transport" : "RabbitMQ")}, no-op workers"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {completed} items completed in {seconds:0.00} s: {completed / seconds:0.0} items/s"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {counter.Count} item events consumed by the sagas: {counter.Count / seconds:0.0} item events/s ({conflicts} save conflicts retried)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  CPU {cpuSeconds:0.00} s over {seconds:0.00} s wall ({cpuSeconds / seconds:0.00} cores of {Environment.ProcessorCount}): " +
                $"{1000 * cpuSeconds / Math.Max(1, counter.Count):0.00} ms CPU per item event, all stages' no-op work included"));
            return completed == itemCount * jobCount ? ExitCodes.Ok : ExitCodes.Failed;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private sealed class ItemEventCounter : IConsumeObserver
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            if (ItemEvents.Contains(typeof(T)))
                Interlocked.Increment(ref _count);
            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}
