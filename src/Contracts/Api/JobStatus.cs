namespace Pipeline.Contracts.Api;

/// <summary>Body of <c>GET /jobs/{id}</c>: the job's state and item counts.</summary>
public sealed record JobStatus(
    Guid JobId,
    string State,
    int Total,
    int Pending,
    int InFlight,
    int Completed,
    int Failed,
    int Cancelled,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt)
{
    public bool IsFinished => FinishedAt is not null;
}
