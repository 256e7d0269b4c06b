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

    public static bool IsFinished(JobState job, int index) => (job.FinishedItems[index >> 3] & (1 << (index & 7))) != 0;

    /// <summary>Advances the dispatch cursor while the job has room in flight; returns the indices to start.</summary>
    public static List<int> TakeNext(JobState job)
    {
        var next = new List<int>();
        while (!job.CancelRequested && job.Dispatched < job.Total && job.InFlight < job.MaxInFlight)
            next.Add(job.Dispatched++);
        return next;
    }

    /// <summary>Unfinished items among the most recently started ones. Sent again after a duplicate report: if the
    /// coordinator died between saving the state and sending the starts, those starts were lost; an item that already
    /// started ignores a second start.</summary>
    public static List<int> RecentUnfinished(JobState job) =>
        Enumerable.Range(Math.Max(0, job.Dispatched - job.MaxInFlight), Math.Min(job.Dispatched, job.MaxInFlight))
            .Where(index => !IsFinished(job, index))
            .ToList();

    public static bool IsDone(JobState job) => job.Completed + job.Failed + job.Cancelled == job.Total;
}
