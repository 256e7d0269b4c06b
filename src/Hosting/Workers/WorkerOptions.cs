namespace Pipeline.Hosting.Workers;

/// <summary>Stage worker settings, bound from the <c>WorkerOptions</c> configuration section.</summary>
public sealed class WorkerOptions
{
    /// <summary>Most items in one forward pass.</summary>
    public int MaxBatchSize { get; set; } = 4;

    /// <summary>Longest wait for a batch to fill once its first message arrived.</summary>
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Batches processed at once per stage (1 on a GPU: the processor is not called concurrently).</summary>
    public int ConcurrentBatches { get; set; } = 1;

    /// <summary>How long a stopping worker waits for the batch in hand to finish.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a worker whose processor files are missing looks for them again (it stays up, not ready).</summary>
    public TimeSpan LoadRetryInterval { get; set; } = TimeSpan.FromSeconds(30);
}
