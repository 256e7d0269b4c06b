namespace Pipeline.Contracts;

/// <summary>Remove the ghosting of the coarse composite F.</summary>
public sealed record DeghostItem(Guid JobId, Guid ItemId, int Index, BlobRef Composite, JobOptions Options);
