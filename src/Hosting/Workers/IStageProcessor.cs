namespace Pipeline.Hosting.Workers;

/// <summary>The life cycle of a stage processor: its worker calls <see cref="LoadAsync"/> once at start (weights, device)
/// and reports ready when it returns.</summary>
public interface IStageProcessor
{
    /// <summary>Load models once. The worker's readiness endpoint turns healthy when this returns.</summary>
    Task LoadAsync(CancellationToken cancellationToken);
}

/// <summary>A stage's processor: once loaded, called once per message batch, never concurrently.</summary>
public interface IStageProcessor<TInput, TOutput> : IStageProcessor
    where TOutput : class
{
    /// <summary>One forward pass over the batch; one outcome per input, in any order, matched by item id.</summary>
    Task<IReadOnlyList<ItemOutcome<TOutput>>> ProcessAsync(IReadOnlyList<TInput> batch, CancellationToken cancellationToken);
}
