using Pipeline.Contracts;

namespace Pipeline.Workers;

/// <summary>Deghost stage: coarse composite F → final image.</summary>
public interface IDeghostProcessor : IStageProcessor
{
    /// <summary>One forward pass over the batch; one outcome per input, matched by item id.</summary>
    Task<IReadOnlyList<ItemOutcome<DeghostOutput>>> DeghostAsync(IReadOnlyList<DeghostInput> batch, CancellationToken cancellationToken);
}

/// <summary>One item for <see cref="IDeghostProcessor"/>.</summary>
public sealed record DeghostInput(Guid ItemId, Payload Composite, JobOptions Options);

/// <summary>The final image.</summary>
public sealed record DeghostOutput(Payload Final);
