namespace Pipeline.Launcher;

/// <summary>Bus settings of a deployment that lives for one run on a shared broker (a benchmark, a service test):
/// it runs under a fresh queue prefix, and the broker deletes its queues once nothing has consumed them for
/// <see cref="UnusedQueueExpiry"/> (<c>BusOptions:UnusedQueueExpiry</c>), so runs do not pile up idle queues.</summary>
public static class RunScopedBus
{
    /// <summary>Longer than any pause of a consumer within a run (a killed worker restarted, the broker restarted, a
    /// stalled stage), so no queue with work in it goes away while its run still needs it.</summary>
    public const string UnusedQueueExpiry = "00:05:00";
}
