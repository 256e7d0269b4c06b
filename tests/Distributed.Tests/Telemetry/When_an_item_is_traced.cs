using System.Diagnostics;
using System.Globalization;
using OpenTelemetry.Trace;
using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Hosting.Telemetry;
using Xunit.Abstractions;

namespace Pipeline.Distributed.Tests.Telemetry;

/// <summary>Spans of a job on the embedded pipeline, through an in-memory exporter: each item is one trace from its
/// dispatch through every stage and back to the coordinator.</summary>
public sealed class When_an_item_is_traced(ITestOutputHelper output)
{
    private static readonly string[] ItemSpanNames =
    [
        "dispatch item",
        "invert item", "record invert result",
        "diffcam item", "record diffcam result",
        "deghost item", "record deghost result",
    ];

    [Fact]
    public async Task Should_give_each_item_one_trace_across_the_coordinator_and_every_stage()
    {
        var exported = new List<Activity>();
        var harness = await EmbeddedHarness.StartAsync(configure: services =>
            services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(exported)));
        JobStatus status;
        try
        {
            var items = await harness.UploadAsync([TestImages.Png(300), TestImages.Png(301)]);
            status = await harness.RunAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded, MaxInFlight: 2));
        }
        finally
        {
            await harness.DisposeAsync();
        }
        Assert.Equal(2, status.Completed);

        // Other tests run pipelines in this process at the same time: only this job's spans count.
        List<Activity> spans;
        lock (exported)
            spans = exported.ToList();
        var job = status.JobId.ToString();
        var byItem = spans.Where(s => s.Source.Name == PipelineTelemetry.Name && Tag(s, TelemetryTags.JobId) == job)
            .GroupBy(s => Tag(s, TelemetryTags.ItemIndex)!)
            .ToDictionary(g => int.Parse(g.Key, CultureInfo.InvariantCulture), g => g.ToList());

        Assert.Equal([0, 1], byItem.Keys.Order());
        foreach (var (index, itemSpans) in byItem)
        {
            Assert.Equal(ItemSpanNames.Order(), itemSpans.Select(s => s.DisplayName).Distinct().Order());
            Assert.Single(itemSpans.Select(s => s.TraceId).Distinct());
            var root = Assert.Single(itemSpans, s => s.DisplayName == "dispatch item");
            Assert.Equal(default, root.ParentSpanId);
            Assert.All(itemSpans.Where(s => s != root), s => Assert.Equal(root.SpanId, s.ParentSpanId));
            Assert.All(itemSpans.Where(s => s.DisplayName.EndsWith(" item", StringComparison.Ordinal) && s != root),
                s => Assert.Equal(ItemOutcomes.Completed, Tag(s, TelemetryTags.Outcome)));
        }
        Assert.NotEqual(byItem[0][0].TraceId, byItem[1][0].TraceId);

        Print(spans.Where(s => s.TraceId == byItem[0][0].TraceId).OrderBy(s => s.StartTimeUtc).ToList());
    }

    /// <summary>The item's whole trace, MassTransit's spans included, for reading.</summary>
    private void Print(List<Activity> trace)
    {
        var names = trace.ToDictionary(s => s.SpanId, s => s.DisplayName);
        var start = trace[0].StartTimeUtc;
        output.WriteLine($"trace {trace[0].TraceId}: {trace.Count} spans");
        foreach (var span in trace)
        {
            var parent = span.ParentSpanId == default ? "(root)" : names.GetValueOrDefault(span.ParentSpanId, $"{span.ParentSpanId} (not exported)");
            var tags = string.Join(", ", span.TagObjects.Where(t => t.Key.StartsWith("pipeline.", StringComparison.Ordinal) && t.Key != TelemetryTags.JobId)
                .Select(t => $"{t.Key[9..]}={t.Value}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"+{(span.StartTimeUtc - start).TotalMilliseconds,7:0.0} ms {span.Duration.TotalMilliseconds,7:0.0} ms  [{span.Source.Name}] {span.DisplayName} <- {parent}  {tags}"));
        }
    }

    private static string? Tag(Activity span, string name) => span.GetTagItem(name) is { } value ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;
}
