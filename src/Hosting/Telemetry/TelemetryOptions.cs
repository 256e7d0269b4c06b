namespace Pipeline.Hosting.Telemetry;

/// <summary>Settings section <c>Telemetry</c>. Nothing is exported unless an OTLP endpoint is set here or in the
/// standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary><c>text</c>: one line per message (the default); <c>json</c>: one JSON object per message, with the
    /// scopes (job and item ids) as fields.</summary>
    public string LogFormat { get; set; } = LogFormats.Text;

    /// <summary>OTLP collector (gRPC, e.g. <c>http://otel-collector:4317</c>); wins over <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public string? OtlpEndpoint { get; set; }
}

public static class LogFormats
{
    public const string Text = "text";
    public const string Json = "json";
}
