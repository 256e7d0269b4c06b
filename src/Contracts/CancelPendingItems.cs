namespace Pipeline.Contracts;

/// <summary>Mark every item of a job with index ≥ <paramref name="FromIndex"/> that has not started as cancelled.</summary>
public sealed record CancelPendingItems(Guid JobId, int FromIndex);
