namespace Pipeline.Contracts;

/// <summary>The job and its items are recorded; the coordinator starts dispatching them.</summary>
public sealed record JobAccepted(Guid JobId, int Total);
