using Microsoft.EntityFrameworkCore;
using Pipeline.Coordinator.Persistence;

namespace Pipeline.Distributed.Tests.Coordinator;

/// <summary>The PostgreSQL migrations against the saga model, without a database: the coordinator migrates at start,
/// and EF refuses to migrate a model that its latest snapshot does not describe (a column added without a migration, or
/// a snapshot edited by hand that drifted).</summary>
public sealed class When_the_saga_model_changes
{
    [Fact]
    public void Should_have_a_migration_whose_snapshot_matches_the_model()
    {
        using var db = new DesignTimeDbContextFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), "the saga model differs from the migrations' snapshot: add a migration");
        Assert.Contains(db.Database.GetMigrations(), m => m.EndsWith("_ItemPngs", StringComparison.Ordinal));
        Assert.Contains(db.Database.GetMigrations(), m => m.EndsWith("_ItemStageTimings", StringComparison.Ordinal));
    }
}
