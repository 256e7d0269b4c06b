using Pipeline.Hosting;

namespace Pipeline.Coordinator;

/// <summary>Saga behaviour, bound from the <c>CoordinatorOptions</c> configuration section.</summary>
public sealed class CoordinatorOptions
{
    /// <summary>Messages each saga endpoint handles at once.</summary>
    public int SagaConcurrency { get; set; } = 16;

    /// <summary>Serialise events of one job (one item) inside this process, so they do not race for the same row.
    /// Races between replicas are still resolved by the row version and retry.</summary>
    public bool PartitionSagaEvents { get; set; } = true;

    /// <summary>Retries of a message whose saga save lost a concurrency race. A lost race means another message made
    /// progress, so retrying is always safe; the limit only stops a pathological storm.</summary>
    public int ConflictRetryLimit { get; set; } = 100;

    /// <summary>Items in flight per job when the submission does not say.</summary>
    public int DefaultMaxInFlight { get; set; } = 16;

    public int MaxItemsPerJob { get; set; } = 100_000;

    /// <summary>Upper bounds on what one submission may ask for (in-flight items, edits per chain, projection settings);
    /// a submission over them is refused with HTTP 400. The workers enforce <see cref="JobLimits.Default"/> again: set
    /// these lower than that, not higher.</summary>
    public JobLimits Limits { get; set; } = new();
}
