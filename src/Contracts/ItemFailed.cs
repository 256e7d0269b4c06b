namespace Pipeline.Contracts;

/// <summary>An item stopped for good at <paramref name="Stage"/>, rejected or out of retries.</summary>
public sealed record ItemFailed(Guid JobId, Guid ItemId, int Index, Stage Stage, string Reason);
