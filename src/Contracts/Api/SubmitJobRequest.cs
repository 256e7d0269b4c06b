namespace Pipeline.Contracts.Api;

/// <summary>Body of <c>POST /jobs</c>. Sources are blob references, uploaded first with <c>POST /uploads</c> or
/// already in the store. <paramref name="JobId"/> makes a retried submission idempotent.</summary>
public sealed record SubmitJobRequest(
    IReadOnlyList<JobItemSpec> Items,
    IReadOnlyList<EditSpec> Edits,
    JobOptions? Options = null,
    int? MaxInFlight = null,
    Guid? JobId = null);
