using Pipeline.Contracts;

namespace Pipeline.Workers;

/// <summary>Invert stage: image → W+ latent, inversion image, edited images T_1..T_r (one per edit, applied in order).</summary>
public interface IInvertProcessor : IStageProcessor
{
    /// <summary>One forward pass over the batch; one outcome per input, in any order, matched by item id.</summary>
    Task<IReadOnlyList<ItemOutcome<InvertOutput>>> InvertAsync(IReadOnlyList<InvertInput> batch, CancellationToken cancellationToken);
}

/// <summary>One item for <see cref="IInvertProcessor"/>: the source image as uploaded (PNG/JPEG bytes).</summary>
public sealed record InvertInput(Guid ItemId, ReadOnlyMemory<byte> Source, IReadOnlyList<EditSpec> Edits, JobOptions Options);

/// <summary>Result of the invert stage: <see cref="Edited"/> holds one image per edit, in edit order.</summary>
public sealed record InvertOutput(Payload Latent, Payload Inversion, IReadOnlyList<Payload> Edited);
