using System.Globalization;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;

namespace Pipeline.Cli.Commands.Distributed;

/// <summary>The bench report's table of where an item's time goes, per mode and stage, from the pipeline's own timings
/// (<c>GET /jobs/{id}/timings</c>): mean milliseconds of queue wait, storage (inputs + outputs), compute (the
/// processor call of the item's batch) and report, and the mean batch size, pooled over the measured jobs with each
/// job weighted by its items.</summary>
static class StageTimingTable
{
    public static void Write(TextWriter w, IEnumerable<(string Mode, JobTimings? Timings)> jobs)
    {
        var rows = jobs.Where(j => j.Timings is not null)
            .SelectMany(j => j.Timings!.Stages.Select(stage => (j.Mode, Stage: stage)))
            .GroupBy(r => (r.Mode, r.Stage.Stage))
            .OrderBy(g => g.Key.Mode, StringComparer.Ordinal).ThenBy(g => Order(g.Key.Stage))
            .ToList();
        if (rows.Count == 0)
            return;
        w.WriteLine();
        w.WriteLine("Where an item's time goes (mean ms per item, all measured rounds; queue: from the coordinator's send to the " +
                    "worker's start, batch wait included; report: from the worker's publish to the coordinator's handling):");
        w.WriteLine();
        w.WriteLine("| mode | stage | items | queue wait | storage (inputs + outputs) | compute (batch) | report | sum | mean batch |");
        w.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var group in rows)
        {
            var stages = group.Select(r => r.Stage).ToList();
            var items = stages.Sum(s => s.Items);
            double Mean(Func<StageTimingSummary, double> figure) => stages.Sum(s => s.Items * figure(s)) / items;
            var queue = Mean(s => s.Queue.MeanMs);
            var storage = Mean(s => s.Inputs.MeanMs + s.Outputs.MeanMs);
            var compute = Mean(s => s.Compute.MeanMs);
            var report = Mean(s => s.Report.MeanMs);
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key.Mode} | {group.Key.Stage} | {items} | {queue:0.0} | {storage:0.0} | {compute:0.0} | {report:0.0} | " +
                $"{queue + storage + compute + report:0.0} | {Mean(s => s.MeanBatchSize):0.00} |"));
        }
    }

    private static int Order(string stage) => Enum.TryParse<Stage>(stage, out var known) ? (int)known : int.MaxValue;
}
