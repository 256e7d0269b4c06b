using Microsoft.EntityFrameworkCore;
using Pipeline.Coordinator.Persistence;
using Pipeline.Storage;

namespace Pipeline.Coordinator.Jobs;

/// <summary>Deletes an ended job: its stored outputs (every blob under <see cref="BlobNames.JobFolder"/>), the uploads
/// only it used, then its item and job rows. A job still running is refused (cancel it, wait for it to end, then
/// delete): its workers would otherwise write bundles after the delete. Uploads are content-addressed and may be shared:
/// one is removed only when no item of another job names it. An upload of the same bytes that another client made but
/// has not submitted yet is not visible here; that client's item then fails naming the missing blob, and uploading
/// again fixes it. Blobs go before rows, so a delete that fails half-way can be repeated.</summary>
public sealed class JobDeletion(CoordinatorDbContext db, IBlobStore blobs)
{
    public enum Outcome
    {
        Deleted,
        NotFound,
        StillRunning,
    }

    public sealed record Result(Outcome Outcome, int Blobs = 0);

    public async Task<Result> DeleteAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.AsNoTracking().Where(j => j.CorrelationId == jobId).Select(j => new { j.FinishedAt }).SingleOrDefaultAsync(cancellationToken);
        if (job is null)
            return new Result(Outcome.NotFound);
        if (job.FinishedAt is null)
            return new Result(Outcome.StillRunning);

        var deleted = await blobs.DeleteFolderAsync(BlobNames.JobFolder(jobId), cancellationToken);
        var sources = await db.Items.AsNoTracking().Where(i => i.JobId == jobId).Select(i => i.Source).ToListAsync(cancellationToken);
        foreach (var upload in sources.Select(s => s.Name).Where(n => n.StartsWith(BlobNames.UploadsPrefix, StringComparison.Ordinal)).Distinct())
        {
            if (!await IsUsedByAnotherJobAsync(upload, jobId, cancellationToken) && await blobs.DeleteAsync(upload, cancellationToken))
                deleted++;
        }
        await db.Items.Where(i => i.JobId == jobId).ExecuteDeleteAsync(cancellationToken);
        await db.Jobs.Where(j => j.CorrelationId == jobId).ExecuteDeleteAsync(cancellationToken);
        return new Result(Outcome.Deleted, deleted);
    }

    /// <summary>The source column is JSON text: a LIKE on the quoted name finds every reference to the upload (a '_' in
    /// a name matches more, which only keeps an upload longer).</summary>
    private Task<bool> IsUsedByAnotherJobAsync(string upload, Guid jobId, CancellationToken cancellationToken)
    {
        var pattern = $"%\"{upload}\"%";
        return db.Items.FromSql($"SELECT * FROM items WHERE source LIKE {pattern}").AsNoTracking()
            .AnyAsync(i => i.JobId != jobId, cancellationToken);
    }
}
