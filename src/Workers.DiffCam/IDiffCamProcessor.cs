using Pipeline.Contracts;
using Pipeline.Hosting.Workers;

namespace Pipeline.Workers.DiffCam;

/// <summary>The DiffCam stage: differential activation over (inversion, T_1..T_r) and composition with the input.</summary>
public interface IDiffCamProcessor : IStageProcessor<DiffCamInput, DiffCamOutput>;

/// <summary>One item for <see cref="IDiffCamProcessor"/>: the fitted input, the inversion and the edited images (in
/// order), and the edit chain that made them (edit i made edited image i).</summary>
public sealed record DiffCamInput(
    Guid ItemId,
    Payload Input,
    Payload Inversion,
    IReadOnlyList<Payload> Edited,
    JobOptions Options,
    IReadOnlyList<EditSpec> Edits);

/// <summary>Mask M (element-wise max of the per-step masks, which travel with it) and coarse composite F, with 8-bit
/// renders of both.</summary>
public sealed record DiffCamOutput(Payload Mask, Payload Composite, IReadOnlyList<PngRender> Pngs);
