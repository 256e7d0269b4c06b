using System.CommandLine;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator.Client;
using Pipeline.Editing.Bench;
using Pipeline.Embedded;
using Pipeline.Hosting;
using Pipeline.Launcher;
using Pipeline.Launcher.Faults;
using Pipeline.Storage;
using Pipeline.Workers.Method;

namespace Pipeline.Cli.Commands.Distributed;

/// <summary>
/// <c>pipeline bench pipeline --items N</c>: the same items with the same model pack through the embedded pipeline
/// (one process, in-memory transport, SQLite, blob folder) and the distributed one on this machine (RabbitMQ,
/// PostgreSQL and Azurite from <c>deploy/local/services.sh</c>, the coordinator and three real worker processes started
/// here, as <c>deploy/local/up.sh</c> does). Both run an unmeasured warm-up job first; the measured time runs from
/// submitting the job to the end the coordinator records for it (uploads and model loading excluded). Both modes stay up and their
/// measured jobs alternate over several rounds (E D, D E, E D, …), so a change in the machine's load during the run
/// falls on both modes alike; the ratio is taken over the items and seconds of all rounds.
/// </summary>
public static class BenchPipelineCommand
{
    static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);
    // The distributed client polls as `submit --wait` does. A job's time ends when the coordinator records its end
    // (JobStatus.FinishedAt), not when a poll notices it, so the interval does not bias the time; polled every 50 ms
    // instead, the status requests themselves would take CPU from the stages on the cores they share.
    static readonly TimeSpan PollInterval = SubmitCommand.PollInterval;
    static readonly EditSpec[] Edits = [new("smile", 1), new("eyeglasses", 1)];

    public static Command Create()
    {
        var items = new Option<int>("--items") { Description = "items in the measured job", DefaultValueFactory = _ => 50 };
        var input = new Option<string?>("--input") { Description = "folder of images, repeated to --items (default: the repository's samples/)" };
        var models = new Option<string?>("--models") { Description = "model pack (default: the repository's models/demo)" };
        var batch = new Option<int>("--batch") { Description = "WorkerOptions:MaxBatchSize of every stage", DefaultValueFactory = _ => 4 };
        var maxInFlight = new Option<int>("--max-in-flight") { Description = "items in flight per job", DefaultValueFactory = _ => 16 };
        var warmup = new Option<int>("--warmup-items") { Description = "items of the unmeasured warm-up job", DefaultValueFactory = _ => 8 };
        var only = new Option<string?>("--only") { Description = "embedded | distributed (default: both)" };
        var batchWait = new Option<int>("--batch-wait-ms") { Description = "WorkerOptions:MaxBatchWait of every stage, in milliseconds", DefaultValueFactory = _ => 100 };
        var workerThreads = new Option<int>("--worker-threads") { Description = "libtorch threads of each distributed worker (0 = a third of the cores, at least 1)", DefaultValueFactory = _ => 0 };
        var rounds = new Option<int>("--rounds") { Description = "measured jobs per mode, alternating between the modes", DefaultValueFactory = _ => 3 };
        var markdown = new Option<FileInfo?>("--markdown") { Description = "also write the result as Markdown to this file" };
        var cmd = new Command("pipeline", "items/s of the whole method through the embedded and the distributed pipeline on this machine")
        {
            items, input, models, batch, batchWait, maxInFlight, warmup, only, rounds, workerThreads, markdown,
        };
        cmd.SetAction((parse, cancellationToken) => RunAsync(new Settings(parse.GetValue(items), parse.GetValue(input), parse.GetValue(models),
            parse.GetValue(batch), parse.GetValue(maxInFlight), parse.GetValue(warmup), parse.GetValue(only), parse.GetValue(markdown), parse.GetValue(rounds), parse.GetValue(workerThreads), parse.GetValue(batchWait)), cancellationToken));
        return cmd;
    }

    public sealed record Settings(int Items, string? Input, string? Models, int Batch, int MaxInFlight, int WarmupItems, string? Only, FileInfo? Markdown,
        int Rounds = 3, int WorkerThreads = 0, int BatchWaitMs = 100);

    /// <param name="CpuSeconds">CPU time of the pipeline's own processes during the measured job (the services —
    /// RabbitMQ, PostgreSQL, Azurite — not included).</param>
    /// <param name="Timings">Where the job's items spent their time, per stage, as the pipeline recorded it.</param>
    /// <param name="ServiceCpuSeconds">CPU time of each local service (RabbitMQ, PostgreSQL, Azurite) during the measured
    /// job, on the cores the pipeline uses too; empty for the embedded mode, which uses none.</param>
    sealed record Measurement(string Mode, int Round, int Items, int Completed, int Failed, double Seconds, double CpuSeconds, string Where,
        JobTimings? Timings, IReadOnlyDictionary<string, double> ServiceCpuSeconds)
    {
        public double ItemsPerSecond => Completed / Seconds;
    }

    public static async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Items < 1 || settings.Batch < 1 || settings.MaxInFlight < 1 || settings.WarmupItems < 0 || settings.Rounds < 1 || settings.WorkerThreads < 0 || settings.BatchWaitMs < 0)
        {
            Console.Error.WriteLine("bench pipeline: --items, --batch, --max-in-flight and --rounds must be at least 1");
            return ExitCodes.BadInput;
        }
        if (settings.Only is not (null or "embedded" or "distributed"))
        {
            Console.Error.WriteLine($"bench pipeline: --only takes embedded or distributed, not '{settings.Only}'");
            return ExitCodes.BadInput;
        }
        LocalServiceSettings.Connections? services = null;
        if (settings.Only is null or "distributed" && (services = await LocalServiceSettings.RequireRunningAsync("bench pipeline")) is null)
            return ExitCodes.BadInput;
        var modelsDir = Path.GetFullPath(settings.Models ?? RepositoryRoot.PathOf(ModelOptions.DemoPack));
        var inputDir = settings.Input ?? RepositoryRoot.PathOf("samples");
        var images = Directory.EnumerateFiles(inputDir, "*.png").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        if (images.Count == 0)
        {
            Console.Error.WriteLine($"bench pipeline: no .png image in {inputDir}");
            return ExitCodes.BadInput;
        }
        var load = new List<string> { SystemLoad.Read() };
        var modes = new List<Mode>();
        var results = new List<Measurement>();
        try
        {
            if (settings.Only is null or "embedded")
                modes.Add(await EmbeddedAsync(settings, modelsDir, images, cancellationToken));
            if (settings.Only is null or "distributed")
                modes.Add(await DistributedAsync(settings, services!, modelsDir, images, cancellationToken));
            foreach (var mode in modes.Where(_ => settings.WarmupItems > 0))
            {
                Console.Error.WriteLine($"[bench] {mode.Name}: warm-up job of {settings.WarmupItems} items …");
                await mode.RunJob(settings.WarmupItems);
            }
            for (var round = 1; round <= settings.Rounds; round++)
            {
                // Alternate which mode goes first, so neither always runs right after the other's burst of work.
                foreach (var mode in round % 2 == 1 ? modes : Enumerable.Reverse(modes))
                    results.Add(await MeasureAsync(mode, round, settings));
                load.Add(SystemLoad.Read());
            }
        }
        finally
        {
            foreach (var mode in modes)
                await mode.DisposeAsync();
        }

        var report = Report(settings, modelsDir, inputDir, results, load);
        Console.Out.Write(report);
        if (settings.Markdown is { } file)
        {
            file.Directory?.Create();
            await File.WriteAllTextAsync(file.FullName, report, cancellationToken);
        }
        return results.All(r => r.Completed == r.Items) ? ExitCodes.Ok : ExitCodes.PartialFailure;
    }

    internal static SubmitJobRequest Job(IReadOnlyList<BlobRef> uploads, int count, int maxInFlight) =>
        new(Enumerable.Range(0, count).Select(i => new JobItemSpec(uploads[i % uploads.Count])).ToList(), Edits, new JobOptions(0, false), maxInFlight);

    static Dictionary<string, string?> WorkerSettings(Settings settings, string modelsDir) =>
        LocalServiceSettings.WorkerSettings(modelsDir, settings.Batch, settings.BatchWaitMs);

    /// <summary>One way of running the pipeline, started and ready for jobs; disposing it stops it and removes what it stored.</summary>
    sealed class Mode(string name, string where, Func<int, Task<JobStatus>> runJob, Func<Guid, Task<JobTimings?>> timings,
        Func<IReadOnlyDictionary<string, double>> cpuSecondsByProcess, Func<IReadOnlyDictionary<string, double>> serviceCpuSeconds,
        Func<ValueTask> stop) : IAsyncDisposable
    {
        public string Name => name;
        public string Where => where;
        public Task<JobStatus> RunJob(int count) => runJob(count);
        public Task<JobTimings?> TimingsAsync(Guid jobId) => timings(jobId);
        public IReadOnlyDictionary<string, double> CpuSecondsByProcess() => cpuSecondsByProcess();
        public IReadOnlyDictionary<string, double> ServiceCpuSeconds() => serviceCpuSeconds();
        public ValueTask DisposeAsync() => stop();
    }

    static async Task<Mode> EmbeddedAsync(Settings settings, string modelsDir, List<byte[]> images, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine("[bench] embedded: starting …");
        var work = Directory.CreateTempSubdirectory("pipeline-bench-embedded");
        EmbeddedPipeline? pipeline = null;
        try
        {
            pipeline = await EmbeddedPipeline.StartAsync(
                new EmbeddedPipelineOptions { WorkDirectory = work.FullName, Settings = WorkerSettings(settings, modelsDir) },
                EmbeddedPipeline.AddEditingProcessors, cancellationToken);
            var uploads = new List<BlobRef>();
            foreach (var image in images)
                uploads.Add(await pipeline.UploadAsync(image, "image/png", cancellationToken));
            var running = pipeline;
            async Task<JobStatus> RunJob(int count)
            {
                var accepted = await running.SubmitAsync(Job(uploads, count, settings.MaxInFlight), cancellationToken);
                return await running.WaitAsync(accepted.JobId, null, cancellationToken);
            }
            return new Mode("embedded", "one process: in-memory transport, SQLite, blob folder", RunJob,
                jobId => running.TimingsAsync(jobId, cancellationToken),
                () => new Dictionary<string, double> { ["bench"] = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds },
                () => new Dictionary<string, double>(),
                async () =>
                {
                    await running.DisposeAsync();
                    work.Delete(recursive: true);
                });
        }
        catch
        {
            if (pipeline is not null)
                await pipeline.DisposeAsync();
            work.Delete(recursive: true);
            throw;
        }
    }

    static async Task<Mode> DistributedAsync(Settings settings, LocalServiceSettings.Connections services, string modelsDir, List<byte[]> images,
        CancellationToken cancellationToken)
    {
        var blobs = services.Blobs;
        var id = Guid.NewGuid().ToString("N")[..10];
        var container = $"bench{id}";
        var database = new DbConnectionStringBuilder { ConnectionString = services.Postgres };
        database["Database"] = $"bench_{id}";
        var apiKey = Guid.NewGuid().ToString("N");
        var common = LocalServiceSettings.Common(services.RabbitMq, blobs, $"bench{id}-", container);
        var logs = Directory.CreateTempSubdirectory("pipeline-bench-distributed");
        var processes = new List<ServiceProcess>();
        CoordinatorClient? client = null;
        Console.Error.WriteLine($"[bench] distributed: starting the coordinator and three workers (logs in {logs.FullName}) …");
        try
        {
            processes.Add(Start("coordinator", ServiceBinaries.Coordinator, LocalServiceSettings.Coordinator(common, database.ConnectionString, apiKey), logs.FullName));
            foreach (var stage in Enum.GetValues<Stage>())
                processes.Add(Start(stage.ToString().ToLowerInvariant(), ServiceBinaries.Worker(stage),
                    LocalServiceSettings.Worker(common, modelsDir, settings.Batch, settings.BatchWaitMs, settings.WorkerThreads), logs.FullName));
            await Task.WhenAll(processes.Select(p => p.WaitReadyAsync(ReadyTimeout, cancellationToken)));

            var servicePids = await LocalServicePidsAsync(cancellationToken);
            client = new CoordinatorClient(processes[0].Url, apiKey);
            var ready = client;
            var uploads = new List<BlobRef>();
            foreach (var image in images)
                uploads.Add(await ready.UploadAsync(image, "image/png", cancellationToken));
            async Task<JobStatus> RunJob(int count)
            {
                var accepted = await ready.SubmitAsync(Job(uploads, count, settings.MaxInFlight), cancellationToken);
                // A service that dies mid-job (a native crash leaves no managed trace) would leave the job waiting for
                // ever: stop with its name and log instead.
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var wait = ready.WaitAsync(accepted.JobId, null, PollInterval, stop.Token);
                var exited = Task.WhenAny(processes.Select(p => p.WaitForExitAsync(stop.Token)));
                try
                {
                    if (await Task.WhenAny(wait, exited) == wait)
                        return await wait;
                    var dead = processes.First(p => p.HasExited);
                    throw new InvalidOperationException(
                        $"the {dead.Name} process exited with code {dead.ExitCode} during the measured job (see {dead.LogPath})");
                }
                finally
                {
                    // Ends whichever wait is still pending (the exit watches after every successful round).
                    stop.Cancel();
                }
            }
            client = null;
            return new Mode("distributed", "4 processes: RabbitMQ, PostgreSQL, Azurite", RunJob,
                jobId => ready.TimingsAsync(jobId, cancellationToken),
                () => processes.ToDictionary(p => p.Name, p => p.CpuSeconds()),
                () => ServiceCpuSeconds(servicePids),
                async () =>
                {
                    ready.Dispose();
                    await StopAsync(processes, blobs, container);
                });
        }
        catch
        {
            client?.Dispose();
            await StopAsync(processes, blobs, container);
            throw;
        }
    }

    /// <summary>The local services' processes, whose CPU the distributed rounds also spend; none (and a note) when they
    /// cannot be found.</summary>
    static async Task<IReadOnlyDictionary<string, int>> LocalServicePidsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var pids = await LocalServices.PidsAsync(cancellationToken);
            if (pids.Count == 0)
                Console.Error.WriteLine("[bench] distributed: no local service process found (pipeline_services_pids): the services' CPU is not reported");
            return pids;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"[bench] distributed: the services' processes could not be listed, their CPU is not reported: {e.Message}");
            return new Dictionary<string, int>();
        }
    }

    static IReadOnlyDictionary<string, double> ServiceCpuSeconds(IReadOnlyDictionary<string, int> pids)
    {
        var seconds = new Dictionary<string, double>();
        foreach (var (name, pid) in pids)
            if (ProcessTreeCpu.Seconds(pid) is { } s)
                seconds[name] = s;
        return seconds;
    }

    static async Task StopAsync(List<ServiceProcess> processes, string blobs, string container)
    {
        foreach (var process in processes)
            await process.DisposeAsync();
        if (!await AzureContainerCleanup.TryDeleteAsync(blobs, container, CancellationToken.None))
            Console.Error.WriteLine($"[bench] distributed: could not delete blob container {container} (left in the store)");
    }

    static async Task<Measurement> MeasureAsync(Mode mode, int round, Settings settings)
    {
        Console.Error.WriteLine($"[bench] {mode.Name}: round {round}, measured job of {settings.Items} items …");
        var before = mode.CpuSecondsByProcess();
        var servicesBefore = mode.ServiceCpuSeconds();
        var submitted = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var status = await mode.RunJob(settings.Items);
        clock.Stop();
        // From the submit to the job's end as recorded on this machine's clock (both modes record FinishedAt).
        var seconds = status.FinishedAt is { } finished && finished > submitted ? (finished - submitted).TotalSeconds : clock.Elapsed.TotalSeconds;
        var after = mode.CpuSecondsByProcess();
        var servicesAfter = mode.ServiceCpuSeconds();
        var services = servicesAfter.Where(s => servicesBefore.ContainsKey(s.Key))
            .ToDictionary(s => s.Key, s => Math.Max(0, s.Value - servicesBefore[s.Key]));
        var result = new Measurement(mode.Name, round, settings.Items, status.Completed, status.Failed, seconds,
            after.Sum(p => p.Value - before[p.Key]), mode.Where, await mode.TimingsAsync(status.JobId), services);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[bench] {mode.Name}: {result.Completed} completed, {result.Failed} failed in {result.Seconds:0.00} s: {result.ItemsPerSecond:0.00} items/s, " +
            $"{result.CpuSeconds:0.0} CPU s in the pipeline's processes"));
        if (after.Count > 1)
            Console.Error.WriteLine($"[bench] {mode.Name}: CPU s per process during the measured job: " +
                string.Join(", ", after.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value - before[p.Key]:0.0}"))));
        return result;
    }

    static ServiceProcess Start(string name, string binary, IReadOnlyDictionary<string, string?> environment, string logs) =>
        ServiceProcess.Start(name, binary, environment, ServiceProcess.FreePort(), Path.Combine(logs, name + ".log"));


    /// <summary>The services' CPU per distributed item: on one machine it comes out of the same cores as the pipeline's,
    /// and is what the embedded mode does not spend.</summary>
    static void WriteServiceCpu(StringWriter w, List<Measurement> distributed)
    {
        var items = distributed.Sum(r => r.Completed);
        var names = distributed.SelectMany(r => r.ServiceCpuSeconds.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        if (items == 0 || names.Count == 0)
            return;
        double MsPerItem(Func<Measurement, double> seconds) => 1000 * distributed.Sum(seconds) / items;
        var services = names.Select(n => (Name: n, Ms: MsPerItem(r => r.ServiceCpuSeconds.GetValueOrDefault(n)))).ToList();
        w.WriteLine();
        var each = string.Join(", ", services.Select(s => $"{s.Name} {s.Ms.ToString("0.0", CultureInfo.InvariantCulture)} ms"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"The local services' CPU during the distributed jobs, per item, on the same cores: {each} (together {services.Sum(s => s.Ms):0.0} ms; " +
            $"the pipeline's own processes {MsPerItem(r => r.CpuSeconds):0} ms)."));
    }

    static string Report(Settings settings, string modelsDir, string inputDir, List<Measurement> results, List<string> load)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine("## pipeline bench pipeline");
        w.WriteLine();
        w.WriteLine($"{settings.Items} items ({Path.GetFileName(Path.TrimEndingDirectorySeparator(inputDir))}/ repeated), edits " +
                    $"{string.Join(" ", Edits.Select(e => $"{e.Attribute}={e.Strength:+0.##;-0.##}"))}, model pack {modelsDir}, batch {settings.Batch}, " +
                    $"batch wait {settings.BatchWaitMs} ms, {settings.MaxInFlight} in flight, warm-up job of {settings.WarmupItems} items first, {settings.Rounds} measured rounds " +
                    $"alternating the modes; {Environment.ProcessorCount} CPU cores; load average (1/5/15 min) before: {load[0]}, " +
                    $"after each round: {string.Join(" | ", load.Skip(1))}.");
        w.WriteLine();
        w.WriteLine("| mode | round | where | items | completed | failed | seconds | items/s | CPU s of the pipeline's processes | CPU ms per item |");
        w.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results.OrderBy(r => r.Mode, StringComparer.Ordinal).ThenBy(r => r.Round))
            w.WriteLine($"| {r.Mode} | {r.Round} | {r.Where} | {r.Items} | {r.Completed} | {r.Failed} | {r.Seconds:0.00} | {r.ItemsPerSecond:0.00} | {r.CpuSeconds:0.0} | {1000 * r.CpuSeconds / Math.Max(1, r.Completed):0} |");
        var byMode = results.GroupBy(r => r.Mode).ToDictionary(g => g.Key, g => (
            ItemsPerSecond: g.Sum(r => r.Completed) / g.Sum(r => r.Seconds),
            CpuMsPerItem: 1000 * g.Sum(r => r.CpuSeconds) / Math.Max(1, g.Sum(r => r.Completed))));
        foreach (var (mode, total) in byMode)
            w.WriteLine($"| {mode} | all | | | | | | {total.ItemsPerSecond:0.00} | | {total.CpuMsPerItem:0} |");
        if (byMode.TryGetValue("embedded", out var embedded) && byMode.TryGetValue("distributed", out var distributed))
        {
            var ratio = distributed.ItemsPerSecond / embedded.ItemsPerSecond;
            var perRound = results.GroupBy(r => r.Round).Where(g => g.Count() == 2).OrderBy(g => g.Key)
                .Select(g => g.Single(r => r.Mode == "distributed").ItemsPerSecond / g.Single(r => r.Mode == "embedded").ItemsPerSecond).ToList();
            var sorted = perRound.Order().ToList();
            var median = Timing.Median(sorted);
            var met = ratio >= 0.95 && median >= 0.95;
            w.WriteLine();
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"distributed / embedded: **{ratio:0.00}** over all rounds, median round **{median:0.00}**, rounds {sorted[0]:0.00}–{sorted[^1]:0.00} " +
                $"(target: both ≥ 0.95){(met ? "" : " — below target")}; " +
                $"per round: {string.Join(", ", perRound.Select(x => x.ToString("0.00", CultureInfo.InvariantCulture)))}"));
        }
        WriteServiceCpu(w, results.Where(r => r.Mode == "distributed").ToList());
        StageTimingTable.Write(w, results.Select(r => (r.Mode, r.Timings)));
        return w.ToString();
    }
}
