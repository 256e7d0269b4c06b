namespace Pipeline.Launcher.Faults;

/// <summary>One fault of the schedule. <paramref name="AtFraction"/>: it fires once this share of the items has ended
/// (progress, not wall time, so the faults land on the job however fast the machine is).</summary>
public sealed record PlannedFault(FaultKind Kind, string Target, double AtFraction, TimeSpan Length, int StormSeed = 0);

public enum FaultKind
{
    /// <summary>SIGKILL of <see cref="PlannedFault.Target"/>; restarted after <see cref="PlannedFault.Length"/>.</summary>
    Kill,
    /// <summary>PostgreSQL stopped for <see cref="PlannedFault.Length"/>.</summary>
    PostgresOutage,
    /// <summary>RabbitMQ stopped and started; inside an outage it fires <see cref="PlannedFault.Length"/> after its start.</summary>
    RabbitMqRestart,
    /// <summary>The blob proxy in storm mode for <see cref="PlannedFault.Length"/>.</summary>
    StorageStorm,
}

/// <summary>The seeded schedule of a run: the kills spread over the job (5–85 % of the items ended: the last items of a
/// job can end together, between two polls, and a kill planned among them would never fire), the PostgreSQL
/// outage at 30–50 % with the RabbitMQ restart 30–60 % of the way into it, the storage storm at 60–80 %.</summary>
public static class FaultPlan
{
    public static readonly string[] Targets = ["coordinator-1", "coordinator-2", "invert", "diffcam", "deghost"];

    public static IReadOnlyList<PlannedFault> Create(FaultSettings settings)
    {
        var random = new Random(settings.Seed);
        var faults = new List<PlannedFault>();
        for (var i = 0; i < settings.Kills; i++)
            faults.Add(new PlannedFault(FaultKind.Kill, Targets[random.Next(Targets.Length)], 0.05 + 0.8 * random.NextDouble(),
                TimeSpan.FromSeconds(0.5 + 4.5 * random.NextDouble())));
        if (settings.PostgresOutage > TimeSpan.Zero)
        {
            faults.Add(new PlannedFault(FaultKind.PostgresOutage, "postgresql", 0.3 + 0.2 * random.NextDouble(), settings.PostgresOutage));
            if (settings.RestartRabbitMq)
                faults.Add(new PlannedFault(FaultKind.RabbitMqRestart, "rabbitmq", faults[^1].AtFraction,
                    settings.PostgresOutage * (0.3 + 0.3 * random.NextDouble())));
        }
        else if (settings.RestartRabbitMq)
            faults.Add(new PlannedFault(FaultKind.RabbitMqRestart, "rabbitmq", 0.3 + 0.2 * random.NextDouble(), TimeSpan.Zero));
        if (settings.Storm > TimeSpan.Zero)
            faults.Add(new PlannedFault(FaultKind.StorageStorm, "azurite", 0.6 + 0.2 * random.NextDouble(), settings.Storm, random.Next()));
        return faults.OrderBy(f => f.AtFraction).ToList();
    }
}
