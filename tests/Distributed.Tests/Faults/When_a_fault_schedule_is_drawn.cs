using Pipeline.Launcher.Faults;

namespace Pipeline.Distributed.Tests.Faults;

/// <summary>The schedule of <c>pipeline bench faults</c>: one seed, one schedule, with the faults where the suite
/// promises them.</summary>
public sealed class When_a_fault_schedule_is_drawn
{
    private static FaultSettings Settings(int seed) => new(200, 20, seed, TimeSpan.FromSeconds(180), RestartRabbitMq: true,
        TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(5));

    [Fact]
    public void Should_draw_the_same_schedule_from_the_same_seed_and_another_from_another()
    {
        Assert.Equal(FaultPlan.Create(Settings(5)), FaultPlan.Create(Settings(5)));
        Assert.NotEqual(FaultPlan.Create(Settings(5)), FaultPlan.Create(Settings(6)));
    }

    [Fact]
    public void Should_spread_the_kills_and_put_the_rabbitmq_restart_inside_the_postgres_outage()
    {
        var plan = FaultPlan.Create(Settings(5)).ToList();

        var kills = plan.Where(f => f.Kind == FaultKind.Kill).ToList();
        Assert.Equal(20, kills.Count);
        Assert.All(kills, k => Assert.InRange(k.AtFraction, 0.05, 0.85));
        Assert.All(kills, k => Assert.Contains(k.Target, FaultPlan.Targets));
        Assert.True(kills.Select(k => k.Target).Distinct().Count() > 1, "every kill hit the same process");
        var outage = Assert.Single(plan, f => f.Kind == FaultKind.PostgresOutage);
        var restart = Assert.Single(plan, f => f.Kind == FaultKind.RabbitMqRestart);
        Assert.Equal(outage.AtFraction, restart.AtFraction);
        Assert.InRange(restart.Length, outage.Length * 0.3, outage.Length * 0.6);
        Assert.True(plan.IndexOf(outage) < plan.IndexOf(restart), "the restart would fire before the outage");
        Assert.Equal(TimeSpan.FromSeconds(30), Assert.Single(plan, f => f.Kind == FaultKind.StorageStorm).Length);
    }
}
