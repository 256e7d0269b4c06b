namespace Pipeline.Contracts;

/// <summary>Start a job: every item runs Invert → DiffCam → Deghost, at most <paramref name="MaxInFlight"/> at a time.</summary>
public sealed record SubmitJob(
    Guid JobId,
    IReadOnlyList<JobItemSpec> Items,
    IReadOnlyList<EditSpec> Edits,
    JobOptions Options,
    int MaxInFlight);
