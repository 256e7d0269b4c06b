namespace Pipeline.Contracts;

/// <summary>An item went through every stage.</summary>
public sealed record ItemCompleted(Guid JobId, Guid ItemId, int Index);
