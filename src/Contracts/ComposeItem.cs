namespace Pipeline.Contracts;

/// <summary>Run differential activation over the inversion and edited images, and compose with the original.
/// <paramref name="Edits"/> is the item's edit chain (edited image i was made by edit i): Diff-CAM needs each step's
/// attribute. Null only from senders older than the field.</summary>
public sealed record ComposeItem(
    Guid JobId,
    Guid ItemId,
    int Index,
    BlobRef Source,
    BlobRef Inversion,
    IReadOnlyList<BlobRef> Edited,
    JobOptions Options,
    IReadOnlyList<EditSpec>? Edits = null);
