namespace Pipeline.Contracts.Api;

/// <summary>One row of <c>GET /jobs/{id}/items</c>.</summary>
public sealed record ItemSummary(Guid ItemId, int Index, string State, string? FailedStage, string? FailureReason);
