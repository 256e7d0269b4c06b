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

    /// <summary>Retries of a saga message that failed for any other reason (database or broker unreachable), exponential
    /// up to <see cref="OutageRetryMaxInterval"/>: 30 tries reach about 13 minutes, so a restart or failover of
    /// PostgreSQL or RabbitMQ holds messages rather than sending them to the error queue.</summary>
    public int OutageRetryLimit { get; set; } = 30;

    public TimeSpan OutageRetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An item with no progress for this long (a start, a stage command or its result, or its report to the
    /// job lost on the way) is driven again by <see cref="Jobs.StageDeadlineWatch"/>. Longer than a stage's queue wait
    /// plus a batch's compute: a premature re-send costs a duplicate computation, never a wrong result.</summary>
    public TimeSpan StageDeadline { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Re-sends of one stage's command before the item fails with "no result within the deadline".</summary>
    public int StageRedrives { get; set; } = 3;

    /// <summary>How often the deadline watch looks for overdue items.</summary>
    public TimeSpan DeadlineScanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bounds on what one submission may ask for (in-flight items, edits per chain, projection settings);
    /// a submission over them is refused with HTTP 400. The workers enforce <see cref="JobLimits.Default"/> again: set
    /// these lower than that, not higher.</summary>
    public JobLimits Limits { get; set; } = new();

    /// <summary>Deletion of ended jobs after a while (off by default).</summary>
    public RetentionOptions Retention { get; set; } = new();
}
