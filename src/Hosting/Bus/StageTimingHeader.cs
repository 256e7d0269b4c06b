using System.Globalization;
using System.Text;
using MassTransit;
using Pipeline.Contracts.Api;

namespace Pipeline.Hosting.Bus;

/// <summary>The worker's share of an item's <see cref="StageTiming"/>, carried as a header on the stage event
/// (<c>queue=12.3;inputs=4.1;compute=20;batch=2;outputs=3.2</c>, milliseconds, invariant culture). A header and not
/// part of the event: the event is also the manifest of the stage bundle, whose bytes must be the same when the item
/// is computed again. The coordinator adds the report time. Reading never throws: a missing or malformed header (an
/// older worker, a hand-made message) reads as null.</summary>
public static class StageTimingHeader
{
    public const string Name = "Pipeline-Stage-Timing";

    private const string Queue = "queue", Inputs = "inputs", Compute = "compute", Batch = "batch", Outputs = "outputs";

    public static void Set(SendContext context, StageTiming timing) => context.Headers.Set(Name, Format(timing));

    /// <summary>The event's timing, its <see cref="StageTiming.ReportMs"/> zero; null when absent or malformed.</summary>
    public static StageTiming? Read(ConsumeContext context) =>
        context.Headers.TryGetHeader(Name, out var value)
            ? Parse(value switch
            {
                string text => text,
                // AMQP carries header strings as bytes.
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                _ => null,
            })
            : null;

    public static string Format(StageTiming timing) => string.Create(CultureInfo.InvariantCulture,
        $"{Queue}={timing.QueueMs:0.###};{Inputs}={timing.InputsMs:0.###};{Compute}={timing.ComputeMs:0.###};{Batch}={timing.BatchSize};{Outputs}={timing.OutputsMs:0.###}");

    /// <summary>Every figure present once, finite, and a batch of at least one item; unknown keys are skipped.</summary>
    public static StageTiming? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var figures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0 || !figures.TryAdd(pair[..equals].Trim(), pair[(equals + 1)..].Trim()))
                return null;
        }
        return Milliseconds(figures, Queue) is { } queue
               && Milliseconds(figures, Inputs) is { } inputs
               && Milliseconds(figures, Compute) is { } compute
               && figures.TryGetValue(Batch, out var batchText)
               && int.TryParse(batchText, NumberStyles.None, CultureInfo.InvariantCulture, out var batch) && batch >= 1
               && Milliseconds(figures, Outputs) is { } outputs
            ? new StageTiming(queue, inputs, compute, batch, outputs, 0)
            : null;
    }

    private static double? Milliseconds(Dictionary<string, string> figures, string key) =>
        figures.TryGetValue(key, out var text)
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : null;
}
