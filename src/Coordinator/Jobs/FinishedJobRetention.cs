using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pipeline.Coordinator.Persistence;

namespace Pipeline.Coordinator.Jobs;

/// <summary>Deletes jobs that ended longer ago than <see cref="RetentionOptions.FinishedJobs"/>, every
/// <see cref="RetentionOptions.ScanInterval"/>; does nothing when that is not set. Running jobs are never touched.
/// Replicas may scan at once: a job the other one deleted first is simply not found.</summary>
public sealed class FinishedJobRetention(IServiceScopeFactory scopes, IOptions<CoordinatorOptions> options, ILogger<FinishedJobRetention> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = options.Value.Retention;
        if (retention.FinishedJobs is null)
            return;
        using var timer = new PeriodicTimer(retention.ScanInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var deleted = await ScanAsync(DateTimeOffset.UtcNow, stoppingToken);
                if (deleted > 0)
                    logger.LogInformation("Retention: deleted {Count} jobs that ended more than {Retention} ago", deleted, retention.FinishedJobs);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Retention scan failed ({Reason}); trying again in {Interval}", e.Message, retention.ScanInterval);
            }
        }
    }

    /// <summary>One scan as of <paramref name="now"/>; returns how many jobs were deleted.</summary>
    public async Task<int> ScanAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var retention = options.Value.Retention;
        if (retention.FinishedJobs is not { } keep)
            return 0;
        var cutoff = now - keep;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoordinatorDbContext>();
        var ended = db.Jobs.AsNoTracking().Where(j => j.FinishedAt != null);
        List<Guid> expired;
        if (db.IsPostgres)
            expired = await ended.Where(j => j.FinishedAt < cutoff).OrderBy(j => j.FinishedAt).Take(retention.MaxJobsPerScan)
                .Select(j => j.CorrelationId).ToListAsync(cancellationToken);
        else
            // SQLite cannot compare DateTimeOffset values in a query: the ended jobs' times are compared here.
            expired = (await ended.Select(j => new { j.CorrelationId, j.FinishedAt }).ToListAsync(cancellationToken))
                .Where(j => j.FinishedAt < cutoff).OrderBy(j => j.FinishedAt).Take(retention.MaxJobsPerScan).Select(j => j.CorrelationId).ToList();
        var deletion = scope.ServiceProvider.GetRequiredService<JobDeletion>();
        var deleted = 0;
        foreach (var jobId in expired)
            if ((await deletion.DeleteAsync(jobId, cancellationToken)).Outcome == JobDeletion.Outcome.Deleted)
                deleted++;
        return deleted;
    }
}
