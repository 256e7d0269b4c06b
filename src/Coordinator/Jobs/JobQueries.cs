using Microsoft.EntityFrameworkCore;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator.Persistence;

namespace Pipeline.Coordinator.Jobs;

/// <summary>The read side of the API: job status with counts, item lists and item outputs, straight from saga state.</summary>
public sealed class JobQueries(CoordinatorDbContext db)
{
    public const int MaxPageSize = 1000;

    public async Task<JobStatus?> GetStatusAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.CorrelationId == jobId, cancellationToken);
        return job is null
            ? null
            : new JobStatus(job.CorrelationId, job.CurrentState, job.Total, job.Pending, job.InFlight, job.Completed, job.Failed, job.Cancelled,
                job.CreatedAt, job.FinishedAt);
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
        return new ItemOutputs(item.CorrelationId, item.Index, item.CurrentState, blobs);
    }

    private static void Add(Dictionary<string, BlobRef> blobs, string role, BlobRef? blob)
    {
        if (blob is not null)
            blobs[role] = blob;
    }
}
