namespace Pipeline.Contracts;

/// <summary>One input image of a job; <paramref name="Edits"/> overrides the job's edit chain for this item.</summary>
public sealed record JobItemSpec(BlobRef Source, IReadOnlyList<EditSpec>? Edits = null);
