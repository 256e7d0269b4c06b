namespace Pipeline.Embedded;

/// <summary>Settings of an <see cref="EmbeddedPipeline"/>.</summary>
public sealed class EmbeddedPipelineOptions
{
    /// <summary>Holds the SQLite file (<c>pipeline.db</c>) and the blob folder (<c>blobs/</c>).</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Extra configuration, in the services' own keys (e.g. <c>WorkerOptions:MaxBatchSize</c>,
    /// <c>CoordinatorOptions:DefaultMaxInFlight</c>); applied over the embedded defaults.</summary>
    public IDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Bench only: replace the stage workers by consumers that answer at once without blobs or processors,
    /// to measure the coordinator alone (<c>pipeline bench coordinator</c>). Never the product.</summary>
    public bool NoOpWorkers { get; init; }

    /// <summary>Lowest level of log messages written to the console.</summary>
    public Microsoft.Extensions.Logging.LogLevel MinimumLogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Warning;
}
