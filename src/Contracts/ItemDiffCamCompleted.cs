namespace Pipeline.Contracts;

/// <summary>The DiffCam stage is done: mask M (element-wise max of the per-step masks) and coarse composite F, with
/// their 8-bit PNG renders by role (<see cref="Api.PngRoles"/>; null from workers that made none).</summary>
public sealed record ItemDiffCamCompleted(Guid JobId, Guid ItemId, BlobRef Mask, BlobRef Composite, IReadOnlyDictionary<string, BlobRef>? Pngs = null);
