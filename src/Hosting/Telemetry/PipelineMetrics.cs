using System.Diagnostics;
using System.Diagnostics.Metrics;
using Pipeline.Contracts;

namespace Pipeline.Hosting.Telemetry;

/// <summary>The instruments of meter <see cref="PipelineTelemetry.Name"/>, one set per host (made by the host's
/// <see cref="IMeterFactory"/>). Workers record per stage; the coordinator records per job outcome and observes the
/// items in flight through <see cref="ObserveItemsInFlight"/>. Queue depth is the broker's own metric.</summary>
public sealed class PipelineMetrics
{
    private readonly Meter _meter;
    private readonly Counter<long> _stageCompleted;
    private readonly Counter<long> _stageFailed;
    private readonly Histogram<double> _stageDuration;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _modelLoad;
    private readonly Counter<long> _itemsAccepted;
    private readonly Counter<long> _itemsFinished;
    private readonly Counter<long> _jobsFinished;

    public PipelineMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(PipelineTelemetry.Name);
        _stageCompleted = _meter.CreateCounter<long>("pipeline.stage.items.completed", "{item}",
            "Items a stage worker finished and announced (outputs computed or found stored)");
        _stageFailed = _meter.CreateCounter<long>("pipeline.stage.items.failed", "{item}",
            "Items a stage worker rejected, by reason class");
        _stageDuration = _meter.CreateHistogram<double>("pipeline.stage.item.duration", "s",
            "Per item: from the start of its batch to its result being announced (inputs, processor, outputs)");
        _batchSize = _meter.CreateHistogram<int>("pipeline.stage.batch.size", "{item}", "Items per processor batch");
        _modelLoad = _meter.CreateHistogram<double>("pipeline.model.load.duration", "s", "Time for a stage processor to load its models");
        _itemsAccepted = _meter.CreateCounter<long>("pipeline.items.accepted", "{item}", "Items of newly accepted jobs");
        _itemsFinished = _meter.CreateCounter<long>("pipeline.items.finished", "{item}",
            "Items the coordinator announced as ended, by outcome (completed, failed) and failed stage");
        _jobsFinished = _meter.CreateCounter<long>("pipeline.jobs.finished", "{job}", "Jobs ended, by outcome (completed, cancelled)");
    }

    public void StageCompleted(Stage stage, double seconds)
    {
        var tag = StageTag(stage);
        _stageCompleted.Add(1, tag);
        _stageDuration.Record(seconds, tag);
    }

    public void StageFailed(Stage stage, string reasonClass) =>
        _stageFailed.Add(1, StageTag(stage), new KeyValuePair<string, object?>(TelemetryTags.ReasonClass, reasonClass));

    public void Batch(Stage stage, int size) => _batchSize.Record(size, StageTag(stage));

    public void ModelLoaded(string processor, double seconds) =>
        _modelLoad.Record(seconds, new KeyValuePair<string, object?>(TelemetryTags.Processor, processor));

    public void ItemsAccepted(int count) => _itemsAccepted.Add(count);

    public void ItemFinished(string outcome, Stage? failedStage = null)
    {
        var tags = new TagList { { TelemetryTags.Outcome, outcome } };
        if (failedStage is { } stage)
            tags.Add(TelemetryTags.Stage, ItemTrace.StageName(stage));
        _itemsFinished.Add(1, tags);
    }

    public void JobFinished(string outcome) => _jobsFinished.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Outcome, outcome));

    /// <summary>The coordinator's gauge of items started and not yet ended, read from its saga state when collected.</summary>
    public void ObserveItemsInFlight(Func<IEnumerable<Measurement<long>>> read) =>
        _meter.CreateObservableGauge("pipeline.items.in_flight", read, "{item}", "Items started and not yet completed or failed, over running jobs");

    private static KeyValuePair<string, object?> StageTag(Stage stage) => new(TelemetryTags.Stage, ItemTrace.StageName(stage));
}
