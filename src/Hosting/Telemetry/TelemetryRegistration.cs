using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Pipeline.Hosting.Telemetry;

/// <summary>Logs, traces and metrics of a pipeline host (coordinator, stage worker or the embedded pipeline), from
/// <see cref="TelemetryOptions"/>. Spans and measurements are always recorded in the process (a test adds an
/// in-memory exporter); they leave it only through OTLP, when an endpoint is configured.</summary>
public static class TelemetryRegistration
{
    public static IHostApplicationBuilder AddPipelineTelemetry(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        AddConsoleLogs(builder.Logging, options.LogFormat);

        builder.Services.AddPipelineMetrics();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") ?? builder.Environment.ApplicationName))
            .WithTracing(t => t
                .AddSource(PipelineTelemetry.Name, PipelineTelemetry.MassTransitSource)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health")))
            .WithMetrics(m => m
                .AddMeter(PipelineTelemetry.Name, PipelineTelemetry.MassTransitSource)
                .AddAspNetCoreInstrumentation());

        var endpoint = OtlpEndpoint(builder.Configuration, options);
        if (endpoint is null)
            return builder;
        telemetry.WithLogging(configureBuilder: null, configureOptions: o =>
        {
            o.IncludeScopes = true;
            o.IncludeFormattedMessage = true;
        });
        if (options.OtlpEndpoint is null)
            telemetry.UseOtlpExporter(); // OTEL_EXPORTER_OTLP_* as the SDK reads them (protocol, headers).
        else
            telemetry.UseOtlpExporter(OtlpExportProtocol.Grpc, endpoint);
        return builder;
    }

    /// <summary>The host's <see cref="PipelineMetrics"/>; also called by the coordinator's and workers' own registrations,
    /// which hosts without <see cref="AddPipelineTelemetry"/> (tests) use.</summary>
    public static IServiceCollection AddPipelineMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<PipelineMetrics>();
        return services;
    }

    private static void AddConsoleLogs(ILoggingBuilder logging, string format)
    {
        logging.ClearProviders();
        switch (format.Trim().ToLowerInvariant())
        {
            case LogFormats.Text:
                logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss.fff ";
                    o.UseUtcTimestamp = true;
                });
                break;
            case LogFormats.Json:
                logging.AddJsonConsole(o =>
                {
                    o.IncludeScopes = true;
                    o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
                    o.UseUtcTimestamp = true;
                });
                break;
            default:
                throw new InvalidOperationException(
                    $"{TelemetryOptions.Section}:{nameof(TelemetryOptions.LogFormat)} is '{format}'; use '{LogFormats.Text}' or '{LogFormats.Json}'");
        }
    }

    private static Uri? OtlpEndpoint(IConfiguration configuration, TelemetryOptions options)
    {
        var setting = options.OtlpEndpoint is { Length: > 0 } own
            ? (Name: $"{TelemetryOptions.Section}:{nameof(TelemetryOptions.OtlpEndpoint)}", Value: own)
            : (Name: TelemetryOptions.OtlpEndpointVariable,
                Value: configuration[TelemetryOptions.OtlpEndpointVariable] ?? Environment.GetEnvironmentVariable(TelemetryOptions.OtlpEndpointVariable));
        if (string.IsNullOrWhiteSpace(setting.Value))
            return null;
        // The value is not echoed: an endpoint may carry credentials.
        return Uri.TryCreate(setting.Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new InvalidOperationException($"{setting.Name} is not an absolute http(s) URI");
    }
}
