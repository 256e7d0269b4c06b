namespace Pipeline.Contracts;

/// <summary>Run differential activation over the inversion and the edited images, and compose the last edited image
/// with the input. <paramref name="Input"/> is the item's input as the invert stage fitted it (a float stage image);
/// <paramref name="Edits"/> is the item's edit chain (edited image i was made by edit i): Diff-CAM needs each step's
/// attribute.</summary>
public sealed record DiffCamItem(
    Guid JobId,
    Guid ItemId,
    int Index,
    BlobRef Input,
    BlobRef Inversion,
    IReadOnlyList<BlobRef> Edited,
    JobOptions Options,
    IReadOnlyList<EditSpec> Edits);
