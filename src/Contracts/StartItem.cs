namespace Pipeline.Contracts;

/// <summary>The job has room for one more item in flight: run item <paramref name="Index"/>.</summary>
public sealed record StartItem(Guid JobId, Guid ItemId, int Index);
