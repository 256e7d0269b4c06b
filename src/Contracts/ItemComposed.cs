namespace Pipeline.Contracts;

/// <summary>DiffCam done: mask M (element-wise max of the per-step masks) and coarse composite F.</summary>
public sealed record ItemComposed(Guid JobId, Guid ItemId, BlobRef Mask, BlobRef Composite);
