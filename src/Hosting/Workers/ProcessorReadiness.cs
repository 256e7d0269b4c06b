namespace Pipeline.Hosting.Workers;

/// <summary>Whether the processor of <typeparamref name="TProcessor"/> has loaded its models. Consumers wait on it
/// before their first batch; readiness reports it.</summary>
public sealed class ProcessorReadiness<TProcessor>
{
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _waiting;

    public bool IsLoaded => _loaded.Task.IsCompletedSuccessfully;

    public Exception? Failure => _loaded.Task.Exception?.InnerException;

    /// <summary>Why the processor is not loaded yet while its loader waits for files (null while it loads or once done).</summary>
    public string? Waiting => IsLoaded ? null : _waiting;

    public void MarkLoaded() => _loaded.TrySetResult();

    public void MarkFailed(Exception failure) => _loaded.TrySetException(failure);

    public void MarkWaiting(string? reason) => _waiting = reason;

    public Task WaitAsync(CancellationToken cancellationToken) => _loaded.Task.WaitAsync(cancellationToken);
}
