namespace Pipeline.Launcher.Faults;

/// <summary>What a fault run injects into one job of <paramref name="Items"/> items. Every draw comes from
/// <paramref name="Seed"/>: the same settings give the same schedule.</summary>
/// <param name="Kills">SIGKILLs of a service process, each restarted after a short seeded delay.</param>
/// <param name="PostgresOutage">PostgreSQL stopped this long (zero: no outage).</param>
/// <param name="RestartRabbitMq">Restart RabbitMQ in the middle of the PostgreSQL outage, while the saga messages that
/// failed for want of the database sit in retry and redelivery (on its own when there is no outage).</param>
/// <param name="Storm">Storage storm this long (zero: none): see <see cref="StormSettings"/>.</param>
/// <param name="Deadline">The longest the run waits for the job to end.</param>
/// <param name="QuietLimit">Once every fault is over, the run stops waiting when the job has not moved for this long.</param>
public sealed record FaultSettings(
    int Items,
    int Kills,
    int Seed,
    TimeSpan PostgresOutage,
    bool RestartRabbitMq,
    TimeSpan Storm,
    TimeSpan Deadline,
    TimeSpan QuietLimit)
{
    /// <summary>With no progress for this long and a fault still to come, the next fault fires anyway: a stuck job
    /// still gets the whole schedule.</summary>
    public TimeSpan StallAfter { get; init; } = TimeSpan.FromSeconds(60);
}
