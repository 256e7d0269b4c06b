using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
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
        // A command resent after a lost race is computed or announced again, and counted again: the counts are
        // compared with what was announced and computed, which is the items themselves on an undisturbed run.
        await using var inverted = await EventProbe<ItemInverted>.ConnectAsync(harness.Pipeline.Services);
        await using var diffCammed = await EventProbe<ItemDiffCamCompleted>.ConnectAsync(harness.Pipeline.Services);
        await using var deghosted = await EventProbe<ItemDeghosted>.ConnectAsync(harness.Pipeline.Services);
        await using var completed = await EventProbe<ItemCompleted>.ConnectAsync(harness.Pipeline.Services);
        await using var jobs = await EventProbe<JobCompleted>.ConnectAsync(harness.Pipeline.Services);
        var items = await harness.UploadAsync(Enumerable.Range(0, ItemCount).Select(i => TestImages.Png(400 + i)));
        var status = await harness.RunAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded, MaxInFlight: ItemCount));
        Assert.Equal(ItemCount, status.Completed);
        // The probes receive on endpoints of their own, a moment after the sagas.
        await jobs.WaitForAsync(j => j.JobId == status.JobId, EmbeddedHarness.JobTimeout);
        foreach (var seen in new Func<int>[] { () => inverted.Seen.Count, () => diffCammed.Seen.Count, () => deghosted.Seen.Count, () => completed.Seen.Count })
        {
            using var settle = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            while (seen() < ItemCount && !settle.IsCancellationRequested)
                await Task.Delay(10);
        }
        listener.RecordObservableInstruments();

        var scope = harness.Pipeline.Services.GetRequiredService<IMeterFactory>();
        var mine = recorded.Where(r => ReferenceEquals(r.Scope, scope)).ToList();
        var calls = harness.Calls;
        foreach (var (stage, announced, computed) in new[]
                 {
                     ("invert", inverted.Seen.Count, calls.Invert), ("diffcam", diffCammed.Seen.Count, calls.DiffCam),
                     ("deghost", deghosted.Seen.Count, calls.Deghost),
                 })
        {
            var ofStage = mine.Where(r => r.Tags.GetValueOrDefault(TelemetryTags.Stage) == stage).ToList();
            Assert.InRange(announced, ItemCount, int.MaxValue);
            Assert.Equal(announced, ofStage.Where(r => r.Instrument == "pipeline.stage.items.completed").Sum(r => r.Value));
            var latencies = ofStage.Where(r => r.Instrument == "pipeline.stage.item.duration").Select(r => r.Value).ToList();
            Assert.Equal(announced, latencies.Count);
            Assert.All(latencies, seconds => Assert.InRange(seconds, 0, EmbeddedHarness.JobTimeout.TotalSeconds));
            Assert.Equal(computed, ofStage.Where(r => r.Instrument == "pipeline.stage.batch.size").Sum(r => r.Value));
            Assert.DoesNotContain(ofStage, r => r.Instrument == "pipeline.stage.items.failed");
        }
        Assert.Equal(calls.InvertBatches, mine.Count(r => r.Instrument == "pipeline.stage.batch.size" && r.Tags[TelemetryTags.Stage] == "invert"));
        Assert.Equal(3, mine.Count(r => r.Instrument == "pipeline.model.load.duration"));
        Assert.Equal(ItemCount, mine.Where(r => r.Instrument == "pipeline.items.accepted").Sum(r => r.Value));
        Assert.InRange(completed.Seen.Count, ItemCount, int.MaxValue);
        Assert.Equal(completed.Seen.Count, mine.Where(r => r.Instrument == "pipeline.items.finished"
                                                           && r.Tags.GetValueOrDefault(TelemetryTags.Outcome) == ItemOutcomes.Completed).Sum(r => r.Value));
        Assert.Equal(jobs.Seen.Count, mine.Count(r => r.Instrument == "pipeline.jobs.finished"));
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
