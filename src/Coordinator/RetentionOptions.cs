namespace Pipeline.Coordinator;

/// <summary>How long ended jobs are kept (<c>CoordinatorOptions:Retention</c>). Off by default: nothing is deleted
/// unless <see cref="FinishedJobs"/> is set.</summary>
public sealed class RetentionOptions
{
    /// <summary>A job that ended longer ago than this is deleted with its outputs (<see cref="Jobs.JobDeletion"/>); null
    /// keeps every job.</summary>
    public TimeSpan? FinishedJobs { get; set; }

    /// <summary>How often <see cref="Jobs.FinishedJobRetention"/> looks for such jobs.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Jobs deleted per scan at most, so one scan after a long outage does not hold the database for long.</summary>
    public int MaxJobsPerScan { get; set; } = 100;
}
