using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pipeline.Coordinator.Persistence;

/// <summary>Ready only while the saga database answers.</summary>
public sealed class DatabaseHealthCheck(CoordinatorDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("the coordinator database does not answer");
}
