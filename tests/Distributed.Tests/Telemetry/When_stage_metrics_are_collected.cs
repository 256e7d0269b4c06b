using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Hosting.Telemetry;

namespace Pipeline.Distributed.Tests.Telemetry;

/// <summary>The meter <see cref="PipelineTelemetry.Name"/> of one embedded pipeline, read with a listener: per stage
/// counts and latencies of the items, batch sizes, model loads, and the coordinator's item totals.</summary>
public sealed class When_stage_metrics_are_collected
{
    private const int ItemCount = 3;

    private sealed record Recorded(object? Scope, string Instrument, double Value, Dictionary<string, string?> Tags);

    [Fact]
    public async Task Should_count_every_item_in_every_stage_and_on_the_coordinator()
    {
        // Meters are made by each host's IMeterFactory (their scope); tests running beside this one have their own.
        var recorded = new ConcurrentQueue<Recorded>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PipelineTelemetry.Name)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => recorded.Enqueue(Record(i, v, tags)));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => recorded.Enqueue(Record(i, v, tags)));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => recorded.Enqueue(Record(i, v, tags)));
        listener.Start();

        await using var harness = await EmbeddedHarness.StartAsync();
        var items = await harness.UploadAsync(Enumerable.Range(0, ItemCount).Select(i => TestImages.Png(400 + i)));
        var status = await harness.RunAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded, MaxInFlight: ItemCount));
        Assert.Equal(ItemCount, status.Completed);
        listener.RecordObservableInstruments();

        var scope = harness.Pipeline.Services.GetRequiredService<IMeterFactory>();
        var mine = recorded.Where(r => ReferenceEquals(r.Scope, scope)).ToList();
        foreach (var stage in new[] { "invert", "diffcam", "deghost" })
        {
            var ofStage = mine.Where(r => r.Tags.GetValueOrDefault(TelemetryTags.Stage) == stage).ToList();
            Assert.Equal(ItemCount, ofStage.Where(r => r.Instrument == "pipeline.stage.items.completed").Sum(r => r.Value));
            var latencies = ofStage.Where(r => r.Instrument == "pipeline.stage.item.duration").Select(r => r.Value).ToList();
            Assert.Equal(ItemCount, latencies.Count);
            Assert.All(latencies, seconds => Assert.InRange(seconds, 0, EmbeddedHarness.JobTimeout.TotalSeconds));
            Assert.Equal(ItemCount, ofStage.Where(r => r.Instrument == "pipeline.stage.batch.size").Sum(r => r.Value));
            Assert.DoesNotContain(ofStage, r => r.Instrument == "pipeline.stage.items.failed");
        }
        Assert.Equal(3, mine.Count(r => r.Instrument == "pipeline.model.load.duration"));
        Assert.Equal(ItemCount, mine.Where(r => r.Instrument == "pipeline.items.accepted").Sum(r => r.Value));
        Assert.Equal(ItemCount, mine.Where(r => r.Instrument == "pipeline.items.finished"
                                                 && r.Tags.GetValueOrDefault(TelemetryTags.Outcome) == ItemOutcomes.Completed).Sum(r => r.Value));
        Assert.Equal(1, mine.Count(r => r.Instrument == "pipeline.jobs.finished"));
        Assert.Equal(0, Assert.Single(mine, r => r.Instrument == "pipeline.items.in_flight").Value);
    }

    private static Recorded Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags) where T : struct
    {
        var named = new Dictionary<string, string?>();
        foreach (var tag in tags)
            named[tag.Key] = Convert.ToString(tag.Value, CultureInfo.InvariantCulture);
        return new Recorded(instrument.Meter.Scope, instrument.Name, Convert.ToDouble(value, CultureInfo.InvariantCulture), named);
    }
}
