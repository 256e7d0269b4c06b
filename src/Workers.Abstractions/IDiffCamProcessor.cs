using Pipeline.Contracts;

namespace Pipeline.Workers;

/// <summary>DiffCam stage: differential activation over (inversion, T_1..T_r) and composition with the original.</summary>
public interface IDiffCamProcessor : IStageProcessor
{
    /// <summary>One forward pass over the batch; one outcome per input, matched by item id.</summary>
    Task<IReadOnlyList<ItemOutcome<DiffCamOutput>>> ComposeAsync(IReadOnlyList<DiffCamInput> batch, CancellationToken cancellationToken);
}

/// <summary>One item for <see cref="IDiffCamProcessor"/>: the original, the inversion and the edited images (in order), and
/// the edit chain that made them (edit i made edited image i).</summary>
public sealed record DiffCamInput(
    Guid ItemId,
    ReadOnlyMemory<byte> Source,
    Payload Inversion,
    IReadOnlyList<Payload> Edited,
    JobOptions Options,
    IReadOnlyList<EditSpec>? Edits = null);

/// <summary>Mask M (element-wise max of the per-step masks) and coarse composite F.</summary>
public sealed record DiffCamOutput(Payload Mask, Payload Composite);
