using Pipeline.Contracts;
using Pipeline.Contracts.Api;

namespace Pipeline.Coordinator.Jobs;

/// <summary>Per stage, in the method's order, the mean and median of each figure over the items that recorded one.</summary>
public static class StageTimingSummaries
{
    public static IReadOnlyList<StageTimingSummary> Of(IEnumerable<IReadOnlyDictionary<string, StageTiming>> items)
    {
        var byStage = items.SelectMany(timings => timings).ToLookup(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return Enum.GetValues<Stage>().Select(stage => stage.ToString()).Where(byStage.Contains)
            .Select(stage => Summarize(stage, byStage[stage].ToList()))
            .ToList();
    }

    private static StageTimingSummary Summarize(string stage, List<StageTiming> timings) =>
        new(stage, timings.Count,
            Figure(timings.Select(t => t.QueueMs)),
            Figure(timings.Select(t => t.InputsMs)),
            Figure(timings.Select(t => t.ComputeMs)),
            Figure(timings.Select(t => t.OutputsMs)),
            Figure(timings.Select(t => t.ReportMs)),
            timings.Average(t => t.BatchSize));

    private static TimingFigure Figure(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToList();
        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new TimingFigure(sorted.Average(), median);
    }
}
