namespace Pipeline.Storage;

/// <summary>Blob storage settings, bound from the <c>BlobStorageOptions</c> configuration section.</summary>
public sealed class BlobStorageOptions
{
    public BlobStoreKind Kind { get; set; } = BlobStoreKind.LocalFolder;

    /// <summary>Root folder for <see cref="BlobStoreKind.LocalFolder"/>.</summary>
    public string Root { get; set; } = Path.Combine(Path.GetTempPath(), "pipeline-blobs");

    /// <summary>Azure storage connection string (a secret: never logged).</summary>
    public string? ConnectionString { get; set; }

    public string Container { get; set; } = "pipeline";

    /// <summary>Attempts after the first one for a transient storage failure (exponential backoff with jitter).</summary>
    public int MaxRetryAttempts { get; set; } = 8;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Limit for one storage call; a slower one counts as a transient failure.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Open the circuit when at least this share of calls fails within <see cref="CircuitSamplingDuration"/>.</summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    public int CircuitMinimumThroughput { get; set; } = 20;

    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>When set, every write that stores bytes appends one line to this file (audit of duplicate writes).</summary>
    public string? WriteJournal { get; set; }
}
