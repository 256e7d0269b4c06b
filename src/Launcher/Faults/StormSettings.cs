namespace Pipeline.Launcher.Faults;

/// <summary>What <see cref="BlobFaultProxy"/> does to each request during a storage storm: answer 503 without
/// forwarding, forward and then answer 503 (the write happened, the caller thinks it failed), or forward after a delay.
/// The shares are of all requests; the rest pass untouched.</summary>
public sealed record StormSettings(int Seed, double FailBefore = 0.2, double FailAfter = 0.1, double Slow = 0.3,
    double MinDelaySeconds = 2, double MaxDelaySeconds = 6);
