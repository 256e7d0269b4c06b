using Microsoft.EntityFrameworkCore;
using Pipeline.Coordinator.Persistence;
using Pipeline.Coordinator.StateMachines;

namespace Pipeline.Coordinator.Jobs;

/// <summary>The items of running jobs that have made no progress since a cutoff, in the three ways an item can be left
/// behind: started by its job but still Pending (the start was lost), in a stage with no result (the command, its
/// worker or its event was lost), or ended without the job counting it (the report was lost). Times are compared in
/// memory: SQLite cannot compare DateTimeOffset in SQL, and the candidates are bounded by the jobs' in-flight windows.
/// Also the jobs that never started an item: their acceptance, which opens the first window, was lost.</summary>
public static class OverdueItems
{
    private static readonly string[] InStage =
        [nameof(EditItemStateMachine.Inverting), nameof(EditItemStateMachine.DiffCamming), nameof(EditItemStateMachine.Deghosting)];
    private static readonly string[] Ended = [nameof(EditItemStateMachine.Completed), nameof(EditItemStateMachine.Failed)];
    private const string Running = nameof(EditJobStateMachine.Running);
    private const string Pending = nameof(EditItemStateMachine.Pending);

    public sealed record Overdue(Guid ItemId, DateTimeOffset UpdatedAt);

    public sealed record UnstartedJob(Guid JobId, int Total);

    public static async Task<List<UnstartedJob>> UnstartedJobsAsync(CoordinatorDbContext db, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var jobs = await db.Jobs.AsNoTracking()
            .Where(j => j.CurrentState == Running && j.Dispatched == 0 && j.Total > 0 && !j.CancelRequested)
            .Select(j => new { j.CorrelationId, j.Total, j.CreatedAt })
            .ToListAsync(cancellationToken);
        return jobs.Where(j => j.CreatedAt < cutoff).Select(j => new UnstartedJob(j.CorrelationId, j.Total)).ToList();
    }

    public static async Task<List<Overdue>> FindAsync(CoordinatorDbContext db, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var running = db.Jobs.AsNoTracking().Where(j => j.CurrentState == Running);
        var candidates = await db.Items.AsNoTracking()
            .Where(i => InStage.Contains(i.CurrentState)
                || (i.CurrentState == Pending && running.Any(j => j.CorrelationId == i.JobId && i.Index < j.Dispatched && !j.CancelRequested)))
            .Select(i => new Overdue(i.CorrelationId, i.UpdatedAt))
            .ToListAsync(cancellationToken);
        var overdue = candidates.Where(i => i.UpdatedAt < cutoff).ToList();

        // Reports: only jobs whose rows hold more ended items than the job has counted are read item by item.
        var jobs = await running.Select(j => new { j.CorrelationId, j.Completed, j.Failed, j.FinishedItems }).ToListAsync(cancellationToken);
        foreach (var job in jobs)
        {
            var ended = await db.Items.AsNoTracking().CountAsync(i => i.JobId == job.CorrelationId && Ended.Contains(i.CurrentState), cancellationToken);
            if (ended <= job.Completed + job.Failed)
                continue;
            var items = await db.Items.AsNoTracking()
                .Where(i => i.JobId == job.CorrelationId && Ended.Contains(i.CurrentState))
                .Select(i => new { i.CorrelationId, i.Index, i.UpdatedAt })
                .ToListAsync(cancellationToken);
            overdue.AddRange(items.Where(i => i.UpdatedAt < cutoff && !JobProgress.IsFinished(job.FinishedItems, i.Index))
                .Select(i => new Overdue(i.CorrelationId, i.UpdatedAt)));
        }
        return overdue;
    }
}
