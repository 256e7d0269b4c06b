namespace Pipeline.Workers;

/// <summary>Common life cycle of a stage processor: the worker calls <see cref="LoadAsync"/> once at start (weights,
/// device), reports ready when it returns, then calls the stage method once per message batch, never concurrently.</summary>
public interface IStageProcessor
{
    /// <summary>Load models once. The worker's readiness endpoint turns healthy when this returns.</summary>
    Task LoadAsync(CancellationToken cancellationToken);
}
