using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;

namespace Pipeline.Coordinator.Persistence;

/// <summary>Job and item saga state. One model for PostgreSQL (migrations, <c>xmin</c> as the row version) and SQLite
/// (EnsureCreated, an application-bumped version column).</summary>
public sealed class CoordinatorDbContext(DbContextOptions<CoordinatorDbContext> options) : DbContext(options)
{
    public const string PostgresProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    public DbSet<JobState> Jobs => Set<JobState>();
    public DbSet<ItemState> Items => Set<ItemState>();

    /// <summary>"00-" + 32 hex trace id + "-" + 16 hex span id + "-" + 2 hex flags.</summary>
    private const int TraceParentLength = 55;

    /// <summary>PostgreSQL (else SQLite, whose queries cannot order or compare <see cref="DateTimeOffset"/> values).</summary>
    public bool IsPostgres => Database.ProviderName == PostgresProvider;

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<JobState>(job =>
        {
            job.ToTable("jobs");
            job.HasKey(x => x.CorrelationId);
            job.Property(x => x.CorrelationId).HasColumnName("id");
            job.Property(x => x.CurrentState).HasColumnName("state").HasMaxLength(32);
            job.Property(x => x.Total).HasColumnName("total");
            job.Property(x => x.Dispatched).HasColumnName("dispatched");
            job.Property(x => x.Completed).HasColumnName("completed");
            job.Property(x => x.Failed).HasColumnName("failed");
            job.Property(x => x.Cancelled).HasColumnName("cancelled");
            job.Property(x => x.MaxInFlight).HasColumnName("max_in_flight");
            job.Property(x => x.CancelRequested).HasColumnName("cancel_requested");
            job.Property(x => x.FinishedItems).HasColumnName("finished_items");
            JsonList(job.Property(x => x.RecentDispatches)).HasColumnName("recent_dispatches");
            JsonList(job.Property(x => x.Edits)).HasColumnName("edits");
            Json(job.Property(x => x.Options)).HasColumnName("options");
            job.Property(x => x.CreatedAt).HasColumnName("created_at");
            job.Property(x => x.FinishedAt).HasColumnName("finished_at");
            job.Ignore(x => x.InFlight);
            job.Ignore(x => x.Pending);
            Version(job);
        });
        model.Entity<ItemState>(item =>
        {
            item.ToTable("items");
            item.HasKey(x => x.CorrelationId);
            item.Property(x => x.CorrelationId).HasColumnName("id");
            item.Property(x => x.JobId).HasColumnName("job_id");
            item.Property(x => x.Index).HasColumnName("index");
            item.Property(x => x.CurrentState).HasColumnName("state").HasMaxLength(32);
            Json(item.Property(x => x.Source)).HasColumnName("source");
            JsonList(item.Property(x => x.Edits)).HasColumnName("edits");
            Json(item.Property(x => x.Options)).HasColumnName("options");
            Json(item.Property(x => x.Latent)).HasColumnName("latent");
            Json(item.Property(x => x.Inversion)).HasColumnName("inversion");
            Json(item.Property(x => x.CarriedSource)).HasColumnName("carried_source");
            JsonList(item.Property(x => x.Edited)).HasColumnName("edited");
            Json(item.Property(x => x.Mask)).HasColumnName("mask");
            Json(item.Property(x => x.Composite)).HasColumnName("composite");
            Json(item.Property(x => x.Final)).HasColumnName("final");
            item.Property(x => x.Pngs).HasConversion(JsonColumn.Converter<Dictionary<string, BlobRef>>(), JsonColumn.DictionaryComparer<BlobRef>())
                .HasColumnName("pngs");
            item.Property(x => x.Timings)
                .HasConversion(JsonColumn.Converter<Dictionary<string, StageTiming>>(), JsonColumn.DictionaryComparer<StageTiming>())
                .HasColumnName("timings");
            item.Property(x => x.FailedStage).HasColumnName("failed_stage").HasConversion<string>().HasMaxLength(16);
            item.Property(x => x.FailureReason).HasColumnName("failure_reason");
            item.Property(x => x.UpdatedAt).HasColumnName("updated_at");
            item.Property(x => x.Redrives).HasColumnName("redrives");
            item.Property(x => x.TraceParent).HasColumnName("trace_parent").HasMaxLength(TraceParentLength);
            item.HasIndex(x => new { x.JobId, x.Index }).IsUnique();
            item.HasIndex(x => new { x.JobId, x.CurrentState });
            Version(item);
        });
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (IsPostgres)
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

        // SQLite has no xmin: bump the token ourselves; EF checks the original value in the UPDATE's WHERE.
        foreach (var entry in ChangeTracker.Entries<IVersioned>().Where(e => e.State == EntityState.Modified))
            entry.Entity.Version++;
        // SQLite admits one writer at a time and makes the others sleep and poll; queueing the writers of this process
        // here instead keeps the saga endpoints' concurrency from turning into lock waits.
        await SqliteWriteGate.WaitAsync(cancellationToken);
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            SqliteWriteGate.Release();
        }
    }

    private static readonly SemaphoreSlim SqliteWriteGate = new(1, 1);

    private void Version<T>(EntityTypeBuilder<T> entity) where T : class, IVersioned
    {
        if (IsPostgres)
            entity.Property(x => x.Version).IsRowVersion();
        else
            entity.Property(x => x.Version).HasColumnName("version").IsConcurrencyToken();
    }

    private static PropertyBuilder<T> Json<T>(PropertyBuilder<T> property) =>
        property.HasConversion(JsonColumn.Converter<T>(), JsonColumn.ImmutableComparer<T>());

    private static PropertyBuilder<List<T>> JsonList<T>(PropertyBuilder<List<T>> property) =>
        property.HasConversion(JsonColumn.Converter<List<T>>(), JsonColumn.ListComparer<T>());
}
