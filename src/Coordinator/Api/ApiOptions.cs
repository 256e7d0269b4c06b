namespace Pipeline.Coordinator.Api;

/// <summary>HTTP API settings, bound from the <c>ApiOptions</c> configuration section.</summary>
public sealed class ApiOptions
{
    /// <summary>Accepted values of the <c>X-Api-Key</c> header (secrets: from a Kubernetes Secret or the environment,
    /// never logged). The coordinator refuses to start its API without one.</summary>
    public string[] ApiKeys { get; set; } = [];

    public long MaxUploadBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest slice of a stage bundle one download may ask for (a slice is buffered in memory).</summary>
    public long MaxRangeBytes { get; set; } = 256L * 1024 * 1024;
}
