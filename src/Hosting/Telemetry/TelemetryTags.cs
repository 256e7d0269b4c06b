namespace Pipeline.Hosting.Telemetry;

/// <summary>Tag names on the pipeline's spans and metrics. Ids and counts only: no addresses, paths or secrets.</summary>
public static class TelemetryTags
{
    public const string Stage = "pipeline.stage";
    public const string JobId = "pipeline.job.id";
    public const string ItemId = "pipeline.item.id";
    public const string ItemIndex = "pipeline.item.index";
    public const string BatchSize = "pipeline.batch.size";
    public const string Outcome = "pipeline.outcome";
    public const string ReasonClass = "pipeline.reason_class";
    public const string Processor = "pipeline.processor";
}
