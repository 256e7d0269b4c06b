namespace Pipeline.Coordinator.Sagas;

/// <summary>How many saga saves lost an optimistic-concurrency race (and were retried). Exposed for tests and logs.</summary>
public sealed class SagaConflictCounter
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}
