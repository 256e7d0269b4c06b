using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pipeline.Hosting.Workers;

/// <summary>Ready once the stage processor has loaded its models; until then the description says what it waits for.</summary>
public sealed class ProcessorHealthCheck<TProcessor>(ProcessorReadiness<TProcessor> readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.IsLoaded
            ? HealthCheckResult.Healthy($"{typeof(TProcessor).Name} loaded")
            : readiness.Failure is { } failure
                ? HealthCheckResult.Unhealthy($"{typeof(TProcessor).Name} failed to load: {failure.Message}")
                : readiness.Waiting is { } waiting
                    ? HealthCheckResult.Unhealthy($"{typeof(TProcessor).Name} not loaded: {waiting}")
                    : HealthCheckResult.Unhealthy($"{typeof(TProcessor).Name} loading"));
}
