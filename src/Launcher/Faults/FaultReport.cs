using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Launcher.Faults;

/// <summary>A fault that was applied: when (seconds after the job was submitted), to what, and how it went.</summary>
public sealed record AppliedFault(string Kind, string Target, double PlannedAtFraction, int EndedItemsWhenFired, double FiredAtSeconds,
    double? EndedAtSeconds, double LengthSeconds, string Trigger, string? Error);

public sealed record Requirement(string Name, bool Passed, string Measured);

/// <summary>The outcome of a fault run, as JSON (<c>--out</c>) and as a printed table.</summary>
public sealed record FaultReport(
    FaultSettings Settings,
    string JobState,
    bool JobFinished,
    int Items,
    int Completed,
    int Failed,
    IReadOnlyDictionary<string, int> FailureReasons,
    int Lost,
    IReadOnlyList<int> LostItems,
    int BundlesWritten,
    IReadOnlyList<string> BundlesRewritten,
    IReadOnlyList<string> BundlesDoubled,
    int OutputsChecked,
    IReadOnlyList<string> HashMismatches,
    IReadOnlyList<string> OutputsUnreadable,
    IReadOnlyDictionary<string, long> ErrorQueues,
    IReadOnlyDictionary<string, long> QueuesWithMessages,
    StormCounters Storage,
    IReadOnlyList<PlannedFault> Planned,
    IReadOnlyList<AppliedFault> Applied,
    double RunSeconds,
    double? DrainSeconds,
    IReadOnlyList<string> LoadAverages)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public IReadOnlyList<Requirement> Requirements =>
    [
        new("every item ended (job finished)", JobFinished && Lost == 0, $"job {JobState}, {Completed + Failed} of {Items} ended"),
        new("0 lost", Lost == 0, Lost.ToString(CultureInfo.InvariantCulture)),
        new("0 outputs written twice with different bytes", BundlesDoubled.Count == 0, BundlesDoubled.Count.ToString(CultureInfo.InvariantCulture)),
        new("0 stored hashes that disagree with their bytes", HashMismatches.Count == 0 && OutputsUnreadable.Count == 0,
            $"{HashMismatches.Count} mismatched, {OutputsUnreadable.Count} unreadable of {OutputsChecked}"),
        new("empty _error queues", ErrorQueues.Values.All(v => v == 0),
            ErrorQueues.Count == 0 ? "no _error queue" : string.Join(", ", ErrorQueues.Select(q => $"{q.Key} {q.Value}"))),
        new("every planned fault applied", Applied.Count == Planned.Count && Applied.All(a => a.Error is null),
            $"{Applied.Count(a => a.Error is null)} of {Planned.Count}"),
    ];

    public bool Passed => Requirements.All(r => r.Passed);

    public string ToJson() => JsonSerializer.Serialize(new { Report = this, Requirements, Passed }, Json);

    public string ToTable()
    {
        var w = new StringBuilder();
        var s = Settings;
        w.AppendLine(CultureInfo.InvariantCulture,
            $"fault run: {Items} items, seed {s.Seed}, {s.Kills} kills, PostgreSQL outage {s.PostgresOutage.TotalSeconds:0} s, " +
            $"RabbitMQ restart {(s.RestartRabbitMq ? "yes" : "no")}, storage storm {s.Storm.TotalSeconds:0} s; load average (1/5/15 min) " +
            $"{string.Join(" → ", LoadAverages)}");
        w.AppendLine();
        w.AppendLine("| at s | ended items | fault | target | length s | trigger | result |");
        w.AppendLine("|---:|---:|---|---|---:|---|---|");
        foreach (var a in Applied)
            w.AppendLine(CultureInfo.InvariantCulture,
                $"| {a.FiredAtSeconds:0.0} | {a.EndedItemsWhenFired} | {a.Kind} | {a.Target} | {a.LengthSeconds:0.0} | {a.Trigger} | {a.Error ?? (a.EndedAtSeconds is { } e ? $"over at {e:0.0} s" : "not over")} |");
        w.AppendLine();
        w.AppendLine("| measure | value |");
        w.AppendLine("|---|---:|");
        w.AppendLine(CultureInfo.InvariantCulture, $"| items completed | {Completed} |");
        w.AppendLine(CultureInfo.InvariantCulture, $"| items failed | {Failed} |");
        foreach (var (reason, count) in FailureReasons)
            w.AppendLine(CultureInfo.InvariantCulture, $"| · failed: {reason.Replace("|", "/", StringComparison.Ordinal)} | {count} |");
        w.AppendLine(CultureInfo.InvariantCulture, $"| items lost (not ended) | {Lost}{(LostItems.Count > 0 ? $" (e.g. {string.Join(", ", LostItems.Take(10))})" : "")} |");
        w.AppendLine(CultureInfo.InvariantCulture, $"| stage bundles written | {BundlesWritten} |");
        w.AppendLine(CultureInfo.InvariantCulture, $"| bundles written again, same bytes | {BundlesRewritten.Count - BundlesDoubled.Count} |");
        w.AppendLine(CultureInfo.InvariantCulture, $"| bundles written twice, different bytes | {BundlesDoubled.Count} |");
        w.AppendLine(CultureInfo.InvariantCulture, $"| outputs re-hashed / mismatched / unreadable | {OutputsChecked} / {HashMismatches.Count} / {OutputsUnreadable.Count} |");
        w.AppendLine(CultureInfo.InvariantCulture, $"| messages in _error queues | {ErrorQueues.Values.Sum()} |");
        w.AppendLine(CultureInfo.InvariantCulture,
            $"| storage requests / 503 before / 503 after forwarding / delayed | {Storage.Requests} / {Storage.FailedBeforeForwarding} / {Storage.FailedAfterForwarding} / {Storage.Delayed} |");
        w.AppendLine(CultureInfo.InvariantCulture, $"| run (submit → end) s | {RunSeconds:0.0} |");
        w.AppendLine(CultureInfo.InvariantCulture, $"| drain (last fault over → end) s | {(DrainSeconds is { } d ? d.ToString("0.0", CultureInfo.InvariantCulture) : "did not drain")} |");
        foreach (var (queue, messages) in QueuesWithMessages)
            w.AppendLine(CultureInfo.InvariantCulture, $"| queue {queue} at the end | {messages} |");
        w.AppendLine();
        foreach (var r in Requirements)
            w.AppendLine(CultureInfo.InvariantCulture, $"{(r.Passed ? "PASS" : "FAIL")}  {r.Name}: {r.Measured}");
        return w.ToString();
    }
}
