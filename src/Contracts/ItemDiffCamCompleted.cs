namespace Pipeline.Contracts;

/// <summary>The DiffCam stage is done: mask M (element-wise max of the per-step masks) and coarse composite F.</summary>
public sealed record ItemDiffCamCompleted(Guid JobId, Guid ItemId, BlobRef Mask, BlobRef Composite);
