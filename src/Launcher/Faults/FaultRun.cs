using System.Diagnostics;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator.Client;

namespace Pipeline.Launcher.Faults;

/// <summary>What a fault run needs from its caller: the services (given the blob connection string they must use, the
/// proxy's), the coordinators' API key, the real blob store and container (for the audit), the queue prefix, and the job.</summary>
public sealed record FaultRunSetup(
    FaultSettings Settings,
    Func<string, IReadOnlyList<ServiceSpec>> Services,
    string ApiKey,
    string BlobConnection,
    string Container,
    string QueuePrefix,
    Func<CoordinatorClient, CancellationToken, Task<SubmitJobRequest>> Job,
    string LogFolder,
    Func<string> ReadLoad,
    Action<string> Log)
{
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromMinutes(3);
}

/// <summary>Two coordinator processes on one database and queue prefix, the three stage workers, a blob proxy in front
/// of the store; one job, and the seeded schedule of <see cref="FaultPlan"/> applied while it runs. Ends with the audit
/// of <see cref="FaultReport"/>. The PostgreSQL and RabbitMQ faults stop the machine's shared services
/// (<see cref="LocalServices"/>): every other user of them sees the outage too.</summary>
public static class FaultRun
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly string[] Coordinators = ["coordinator-1", "coordinator-2"];

    public static async Task<FaultReport> RunAsync(FaultRunSetup setup, CancellationToken cancellationToken)
    {
        var settings = setup.Settings;
        var plan = FaultPlan.Create(settings);
        var load = new List<string> { setup.ReadLoad() };
        await using var proxy = await BlobFaultProxy.StartAsync(setup.BlobConnection);
        await using var services = new ServiceGroup(setup.Services(proxy.ConnectionString), setup.LogFolder, setup.ReadyTimeout);
        setup.Log($"starting two coordinators and three workers (logs in {setup.LogFolder}) …");
        await services.StartAllAsync(Coordinators[0], cancellationToken);
        var clients = Coordinators.Select(c => new CoordinatorClient(services.Url(c), setup.ApiKey, TimeSpan.FromSeconds(2))).ToArray();
        try
        {
            var request = await setup.Job(clients[0], cancellationToken);
            var accepted = await clients[0].SubmitAsync(request, cancellationToken);
            setup.Log($"job {accepted.JobId}: {accepted.Total} items; {plan.Count} faults planned");
            var clock = Stopwatch.StartNew();
            var applied = new List<AppliedFault>();
            var running = new List<Task>();
            var status = await WatchAsync(setup, plan, proxy, services, clients, accepted.JobId, clock, applied, running, cancellationToken);
            // The job's end, not the end of a restart still under way.
            var runSeconds = clock.Elapsed.TotalSeconds;
            await Task.WhenAll(running);
            load.Add(setup.ReadLoad());
            setup.Log("auditing …");
            return await AuditAsync(setup, plan, proxy, clients, accepted.JobId, status, applied, runSeconds, load, cancellationToken);
        }
        finally
        {
            foreach (var client in clients)
                client.Dispose();
        }
    }

    /// <summary>Polls the job (through whichever coordinator answers), fires each fault when its share of the items has
    /// ended (or when the job has not moved for <see cref="FaultSettings.StallAfter"/>), and returns the last status once
    /// the job has ended, the deadline has passed, or the job has sat still for the quiet limit after the last fault.</summary>
    private static async Task<JobStatus?> WatchAsync(FaultRunSetup setup, IReadOnlyList<PlannedFault> plan, BlobFaultProxy proxy,
        ServiceGroup services, CoordinatorClient[] clients, Guid jobId, Stopwatch clock, List<AppliedFault> applied, List<Task> running,
        CancellationToken cancellationToken)
    {
        var settings = setup.Settings;
        JobStatus? status = null;
        var next = 0;
        var ended = 0;
        var lastMove = TimeSpan.Zero;
        var turn = 0;
        while (clock.Elapsed < settings.Deadline)
        {
            try
            {
                status = await clients[turn].GetStatusAsync(jobId, cancellationToken) ?? status;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                turn = 1 - turn;
            }
            var nowEnded = status is null ? 0 : status.Completed + status.Failed + status.Cancelled;
            if (nowEnded != ended)
            {
                ended = nowEnded;
                lastMove = clock.Elapsed;
            }
            if (status?.IsFinished == true)
                break;
            var faultActive = running.Any(t => !t.IsCompleted);
            while (next < plan.Count && (ended >= plan[next].AtFraction * settings.Items
                                         || (!faultActive && clock.Elapsed - lastMove > settings.StallAfter)))
            {
                var trigger = ended >= plan[next].AtFraction * settings.Items ? "progress" : "stall";
                running.Add(FireAsync(plan[next], trigger, ended, proxy, services, clock, applied, setup.Log));
                lastMove = clock.Elapsed;
                next++;
            }
            var allOver = next == plan.Count && running.All(t => t.IsCompleted);
            if (allOver && clock.Elapsed - Max(lastMove, LastEnd(applied)) > settings.QuietLimit)
            {
                setup.Log($"the job has not moved for {settings.QuietLimit.TotalSeconds:0} s after the last fault: stopping");
                break;
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
        return status;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan LastEnd(List<AppliedFault> applied)
    {
        lock (applied)
            return TimeSpan.FromSeconds(applied.Select(a => a.EndedAtSeconds ?? a.FiredAtSeconds).DefaultIfEmpty(0).Max());
    }

    private static async Task FireAsync(PlannedFault fault, string trigger, int ended, BlobFaultProxy proxy, ServiceGroup services,
        Stopwatch clock, List<AppliedFault> applied, Action<string> log)
    {
        var firedAt = clock.Elapsed.TotalSeconds;
        log($"{firedAt,7:0.0} s  {fault.Kind} {fault.Target} ({fault.Length.TotalSeconds:0.0} s) after {ended} ended items [{trigger}]");
        string? error = null;
        try
        {
            switch (fault.Kind)
            {
                case FaultKind.Kill:
                    await services.KillAndRestartAsync(fault.Target, fault.Length);
                    break;
                case FaultKind.PostgresOutage:
                    await LocalServices.RunAsync("pipeline_postgres_stop");
                    await Task.Delay(fault.Length);
                    await LocalServices.RunAsync("pipeline_postgres_start");
                    break;
                case FaultKind.RabbitMqRestart:
                    // Planned with the outage: it happens inside it, while saga messages are being retried.
                    await Task.Delay(fault.Length);
                    log($"{clock.Elapsed.TotalSeconds,7:0.0} s  RabbitMQ stop/start");
                    await LocalServices.RunAsync("pipeline_rabbitmq_stop && pipeline_rabbitmq_start");
                    break;
                case FaultKind.StorageStorm:
                    proxy.StartStorm(new StormSettings(fault.StormSeed));
                    await Task.Delay(fault.Length);
                    proxy.StopStorm();
                    break;
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            error = e.Message;
            log($"{fault.Kind} {fault.Target}: {e.Message}");
        }
        lock (applied)
            applied.Add(new AppliedFault(fault.Kind.ToString(), fault.Target, fault.AtFraction, ended, firedAt, clock.Elapsed.TotalSeconds,
                fault.Length.TotalSeconds, trigger, error));
    }

    private static async Task<FaultReport> AuditAsync(FaultRunSetup setup, IReadOnlyList<PlannedFault> plan, BlobFaultProxy proxy,
        CoordinatorClient[] clients, Guid jobId, JobStatus? status, List<AppliedFault> applied, double runSeconds, List<string> load,
        CancellationToken cancellationToken)
    {
        var settings = setup.Settings;
        // Either coordinator answers for the job: take the one that is up.
        var client = clients[0];
        IReadOnlyList<ItemSummary> items;
        try
        {
            items = await client.ListAllItemsAsync(jobId, cancellationToken);
        }
        catch (HttpRequestException)
        {
            client = clients[1];
            items = await client.ListAllItemsAsync(jobId, cancellationToken);
        }
        var completed = items.Count(i => i.State == "Completed");
        var failed = items.Where(i => i.State == "Failed").ToList();
        var ended = items.Where(i => i.State is "Completed" or "Failed" or "Cancelled").Select(i => i.Index).ToHashSet();
        var lost = Enumerable.Range(0, settings.Items).Where(i => !ended.Contains(i)).ToList();
        var hashes = await OutputAudit.RunAsync(client, jobId, settings.Items, setup.BlobConnection, setup.Container, cancellationToken);
        var queues = await LocalServices.QueueDepthsAsync(setup.QueuePrefix, cancellationToken);
        var ordered = applied.OrderBy(a => a.FiredAtSeconds).ToList();
        var lastFaultOver = ordered.Select(a => a.EndedAtSeconds ?? a.FiredAtSeconds).DefaultIfEmpty(0).Max();
        return new FaultReport(
            settings,
            status?.State ?? "unknown",
            status?.IsFinished == true,
            settings.Items,
            completed,
            failed.Count,
            failed.GroupBy(i => $"{i.FailedStage}: {Shorten(i.FailureReason)}").ToDictionary(g => g.Key, g => g.Count()),
            lost.Count,
            lost,
            proxy.Writes.Bundles,
            proxy.Writes.Rewritten(),
            proxy.Writes.Doubled(),
            hashes.Checked,
            hashes.Mismatched,
            hashes.Unreadable,
            queues.Where(q => q.Key.EndsWith("_error", StringComparison.Ordinal)).ToDictionary(),
            queues.Where(q => q.Value > 0).ToDictionary(),
            proxy.Counters,
            plan,
            ordered,
            runSeconds,
            status?.IsFinished == true ? Math.Max(0, runSeconds - lastFaultOver) : null,
            load);
    }

    private static string Shorten(string? reason) => reason is null ? "(no reason)" : reason.Length <= 100 ? reason : reason[..100] + "…";
}
