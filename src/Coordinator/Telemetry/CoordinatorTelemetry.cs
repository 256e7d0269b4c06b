using MassTransit;
using Npgsql;
using OpenTelemetry.Trace;
using Pipeline.Hosting.Telemetry;

namespace Pipeline.Coordinator.Telemetry;

public static class CoordinatorTelemetry
{
    /// <summary>The coordinator's metrics (items ended and jobs finished as announced, items in flight from the job
    /// rows) and its database spans.</summary>
    public static IServiceCollection AddCoordinatorTelemetry(this IServiceCollection services)
    {
        services.AddPipelineMetrics();
        services.AddPublishObserver<OutcomeCounter>();
        services.AddHostedService<ItemsInFlightGauge>();
        services.ConfigureOpenTelemetryTracerProvider(t => t.AddNpgsql());
        return services;
    }
}
