namespace Pipeline.Coordinator.Persistence;

/// <summary>A row with an optimistic concurrency token: PostgreSQL's <c>xmin</c>, or a counter the context bumps on
/// SQLite. A stale update throws <see cref="Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException"/>.</summary>
public interface IVersioned
{
    uint Version { get; set; }
}
