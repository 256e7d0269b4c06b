using Microsoft.EntityFrameworkCore;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator.Persistence;

namespace Pipeline.Coordinator.Jobs;

/// <summary>The read side of the API: job status with counts, item lists, item outputs and stage timings, straight from saga state.</summary>
public sealed class JobQueries(CoordinatorDbContext db)
{
    public const int MaxPageSize = 1000;

    /// <summary>Most jobs one page of <see cref="ListJobsAsync"/> returns.</summary>
    public const int MaxJobPageSize = 200;

    public async Task<JobStatus?> GetStatusAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.CorrelationId == jobId, cancellationToken);
        return job is null ? null : StatusOf(job);
    }

    private static JobStatus StatusOf(JobState job) =>
        new(job.CorrelationId, job.CurrentState, job.Total, job.Pending, job.InFlight, job.Completed, job.Failed, job.Cancelled, job.CreatedAt, job.FinishedAt);

    /// <summary>A page of jobs, newest first (ties by id, so pages do not overlap).</summary>
    public async Task<IReadOnlyList<JobStatus>> ListJobsAsync(int skip, int take, CancellationToken cancellationToken)
    {
        skip = Math.Max(0, skip);
        take = Math.Clamp(take, 1, MaxJobPageSize);
        var jobs = db.Jobs.AsNoTracking();
        if (db.IsPostgres)
            jobs = jobs.OrderByDescending(j => j.CreatedAt).ThenBy(j => j.CorrelationId).Skip(skip).Take(take);
        else
        {
            // SQLite stores DateTimeOffset as text and cannot order by it: the keys are ordered here, then the page read.
            var keys = await jobs.Select(j => new { j.CorrelationId, j.CreatedAt }).ToListAsync(cancellationToken);
            var ids = keys.OrderByDescending(k => k.CreatedAt).ThenBy(k => k.CorrelationId).Skip(skip).Take(take).Select(k => k.CorrelationId).ToList();
            jobs = jobs.Where(j => ids.Contains(j.CorrelationId));
        }
        // Only the counting columns: a job's bitmap and dispatch memory stay in the database.
        var page = await jobs
            .Select(j => new JobState
            {
                CorrelationId = j.CorrelationId, CurrentState = j.CurrentState, Total = j.Total, Dispatched = j.Dispatched, Completed = j.Completed,
                Failed = j.Failed, Cancelled = j.Cancelled, CreatedAt = j.CreatedAt, FinishedAt = j.FinishedAt,
            })
            .ToListAsync(cancellationToken);
        return page.Select(StatusOf).OrderByDescending(j => j.CreatedAt).ThenBy(j => j.JobId).ToList();
    }

    public async Task<IReadOnlyList<ItemSummary>> ListItemsAsync(Guid jobId, string? state, int skip, int take, CancellationToken cancellationToken)
    {
        var query = db.Items.AsNoTracking().Where(i => i.JobId == jobId);
        if (!string.IsNullOrEmpty(state))
            query = query.Where(i => i.CurrentState == state);
        var items = await query.OrderBy(i => i.Index)
            .Skip(Math.Max(0, skip))
            .Take(Math.Clamp(take, 1, MaxPageSize))
            .Select(i => new { i.CorrelationId, i.Index, i.CurrentState, i.FailedStage, i.FailureReason })
            .ToListAsync(cancellationToken);
        return items.Select(i => new ItemSummary(i.CorrelationId, i.Index, i.CurrentState, i.FailedStage?.ToString(), i.FailureReason)).ToList();
    }

    /// <summary>A page of items by index with the roles of their PNG renders (for the job page).</summary>
    public async Task<IReadOnlyList<(ItemSummary Item, IReadOnlyCollection<string> Pngs)>> ListItemsWithPngsAsync(Guid jobId, int skip, int take,
        CancellationToken cancellationToken)
    {
        var items = await db.Items.AsNoTracking().Where(i => i.JobId == jobId).OrderBy(i => i.Index)
            .Skip(Math.Max(0, skip))
            .Take(Math.Clamp(take, 1, MaxPageSize))
            .Select(i => new { i.CorrelationId, i.Index, i.CurrentState, i.FailedStage, i.FailureReason, i.Pngs })
            .ToListAsync(cancellationToken);
        return items.Select(i => (new ItemSummary(i.CorrelationId, i.Index, i.CurrentState, i.FailedStage?.ToString(), i.FailureReason),
            (IReadOnlyCollection<string>)i.Pngs.Keys)).ToList();
    }

    public async Task<ItemOutputs?> GetOutputsAsync(Guid jobId, int index, CancellationToken cancellationToken)
    {
        var item = await db.Items.AsNoTracking().SingleOrDefaultAsync(i => i.JobId == jobId && i.Index == index, cancellationToken);
        if (item is null)
            return null;
        var blobs = new Dictionary<string, BlobRef> { ["source"] = item.Source };
        Add(blobs, "input", item.CarriedSource);
        Add(blobs, "latent", item.Latent);
        Add(blobs, "inversion", item.Inversion);
        for (var step = 0; step < item.Edited.Count; step++)
            blobs[$"edited/{step + 1}"] = item.Edited[step];
        Add(blobs, "mask", item.Mask);
        Add(blobs, "composite", item.Composite);
        Add(blobs, "final", item.Final);
        return new ItemOutputs(item.CorrelationId, item.Index, item.CurrentState, blobs, item.Pngs);
    }

    /// <summary>Where the job's items spent their time, per stage (<see cref="StageTimingSummaries"/>); null for an unknown job.</summary>
    public async Task<JobTimings?> GetTimingsAsync(Guid jobId, CancellationToken cancellationToken)
    {
        if (!await db.Jobs.AsNoTracking().AnyAsync(j => j.CorrelationId == jobId, cancellationToken))
            return null;
        var timings = await db.Items.AsNoTracking().Where(i => i.JobId == jobId).Select(i => i.Timings).ToListAsync(cancellationToken);
        return new JobTimings(jobId, StageTimingSummaries.Of(timings));
    }

    private static void Add(Dictionary<string, BlobRef> blobs, string role, BlobRef? blob)
    {
        if (blob is not null)
            blobs[role] = blob;
    }
}
