using System.Diagnostics;

namespace Pipeline.Hosting.Telemetry;

/// <summary>The names every host of the pipeline traces and measures under: one <see cref="ActivitySource"/> and one
/// meter, both called <see cref="Name"/>, plus the sources of the libraries whose spans belong in the same traces.</summary>
public static class PipelineTelemetry
{
    public const string Name = "Pipeline";

    /// <summary>MassTransit's source (its send, publish and consume activities; MassTransit.Logging.DiagnosticHeaders).</summary>
    public const string MassTransitSource = "MassTransit";

    public static readonly ActivitySource Source = new(Name);
}
