namespace Pipeline.Contracts;

/// <summary>Stop starting new items of a job; items already running finish.</summary>
public sealed record CancelJob(Guid JobId);
