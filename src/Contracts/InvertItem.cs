namespace Pipeline.Contracts;

/// <summary>Invert the source image and apply the edit chain.</summary>
public sealed record InvertItem(
    Guid JobId,
    Guid ItemId,
    int Index,
    BlobRef Source,
    IReadOnlyList<EditSpec> Edits,
    JobOptions Options);
