namespace Pipeline.Contracts.Api;

/// <summary>Body of <c>GET /jobs/{id}/timings</c>: per stage, in the method's order, where the job's items spent their
/// time (<see cref="StageTiming"/>); a stage no item has finished yet is absent.</summary>
public sealed record JobTimings(Guid JobId, IReadOnlyList<StageTimingSummary> Stages);
