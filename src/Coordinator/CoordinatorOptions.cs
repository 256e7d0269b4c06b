namespace Pipeline.Coordinator;

/// <summary>Saga behaviour, bound from the <c>CoordinatorOptions</c> configuration section.</summary>
public sealed class CoordinatorOptions
{
    /// <summary>Messages each saga endpoint handles at once.</summary>
    public int SagaConcurrency { get; set; } = 16;

    /// <summary>Serialise events of one job (one item) inside this process, so they do not race for the same row.
    /// Races between replicas are still resolved by the row version and retry.</summary>
    public bool PartitionSagaEvents { get; set; } = true;

    /// <summary>Retries of a message whose saga save lost a concurrency race.</summary>
    public int ConflictRetryLimit { get; set; } = 50;

    /// <summary>Items in flight per job when the submission does not say.</summary>
    public int DefaultMaxInFlight { get; set; } = 16;

    public int MaxItemsPerJob { get; set; } = 100_000;
}
