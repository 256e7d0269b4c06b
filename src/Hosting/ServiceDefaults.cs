using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Hosting.Telemetry;

namespace Pipeline.Hosting;

/// <summary>What every service of the pipeline shares: console logs (one line, or JSON), traces and metrics
/// (<see cref="TelemetryRegistration"/>), health checks.</summary>
public static class ServiceDefaults
{
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.AddPipelineTelemetry();
        builder.Services.AddHealthChecks();
        return builder;
    }
}
