namespace Pipeline.Contracts;

/// <summary>Run differential activation over the inversion and edited images, and compose with the original.</summary>
public sealed record ComposeItem(
    Guid JobId,
    Guid ItemId,
    int Index,
    BlobRef Source,
    BlobRef Inversion,
    IReadOnlyList<BlobRef> Edited,
    JobOptions Options);
