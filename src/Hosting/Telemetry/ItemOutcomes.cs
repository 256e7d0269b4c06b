namespace Pipeline.Hosting.Telemetry;

/// <summary>Values of <see cref="TelemetryTags.Outcome"/> on item spans and metrics.</summary>
public static class ItemOutcomes
{
    public const string Completed = "completed";
    /// <summary>The stage found the item's outputs stored by an earlier delivery and announced them again.</summary>
    public const string Reused = "reused";
    public const string Rejected = "rejected";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}

/// <summary>Values of <see cref="TelemetryTags.ReasonClass"/>: why a stage rejected an item.</summary>
public static class ReasonClasses
{
    /// <summary>An input was unusable (bad settings, missing or damaged in storage).</summary>
    public const string Input = "input";
    /// <summary>The processor refused the item (e.g. no face, non-finite values).</summary>
    public const string Processor = "processor";
    /// <summary>The item stopped a worker too often (<see cref="Workers.PoisonMessages"/>).</summary>
    public const string Poison = "poison";
}
