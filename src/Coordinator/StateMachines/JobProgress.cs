using Pipeline.Coordinator.Persistence;

namespace Pipeline.Coordinator.StateMachines;

/// <summary>The arithmetic of a job: which items to start next under the in-flight limit, and exactly-once counting of
/// item reports (a redelivered report finds its bit already set).</summary>
public static class JobProgress
{
    public static byte[] EmptyBitmap(int total) => new byte[(total + 7) / 8];

    /// <summary>Records item <paramref name="index"/> as finished; false when it already was (a duplicate report).</summary>
    public static bool TryMarkFinished(JobState job, int index)
    {
        if (index < 0 || index >= job.Total)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"job {job.CorrelationId} has {job.Total} items");
        var mask = (byte)(1 << (index & 7));
        if ((job.FinishedItems[index >> 3] & mask) != 0)
            return false;
        // A new array, so EF's snapshot comparison sees the change.
        var bits = (byte[])job.FinishedItems.Clone();
        bits[index >> 3] |= mask;
        job.FinishedItems = bits;
        return true;
    }

    public static bool IsFinished(JobState job, int index) => IsFinished(job.FinishedItems, index);

    /// <summary>Whether item <paramref name="index"/>'s bit is set in a job's <see cref="JobState.FinishedItems"/>.</summary>
    public static bool IsFinished(byte[] finishedItems, int index) => (finishedItems[index >> 3] & (1 << (index & 7))) != 0;

    /// <summary>Messages whose starts are remembered; more than this many saved-but-unsent messages per job would
    /// need as many coordinator replicas dying at once.</summary>
    public const int RememberedDispatches = 8;

    /// <summary>Advances the dispatch cursor while the job has room in flight; returns the indices to start and
    /// remembers them under <paramref name="messageId"/>.</summary>
    public static List<int> TakeNext(JobState job, Guid? messageId)
    {
        var from = job.Dispatched;
        while (!job.CancelRequested && job.Dispatched < job.Total && job.InFlight < job.MaxInFlight)
            job.Dispatched++;
        var count = job.Dispatched - from;
        if (count > 0 && messageId is { } id)
            job.RecentDispatches = [.. job.RecentDispatches.TakeLast(RememberedDispatches - 1), new DispatchRecord(id, from, count)];
        return Enumerable.Range(from, count).ToList();
    }

    /// <summary>The unfinished items that <paramref name="messageId"/> started when it was processed before: sent again
    /// when that message comes back (it was saved, but the process may have died before its starts left). A different
    /// message with the same content (a plain duplicate) started nothing and gets nothing.</summary>
    public static List<int> StartsOf(JobState job, Guid? messageId) =>
        job.RecentDispatches.LastOrDefault(d => d.MessageId == messageId) is { } record
            ? Enumerable.Range(record.From, record.Count).Where(index => !IsFinished(job, index)).ToList()
            : [];

    public static bool IsDone(JobState job) => job.Completed + job.Failed + job.Cancelled == job.Total;
}
