namespace Pipeline.Coordinator.Persistence;

public enum DatabaseProvider
{
    /// <summary>A single file; the embedded mode. Schema from EnsureCreated.</summary>
    Sqlite,
    /// <summary>The distributed modes. Schema from the EF migrations in this assembly.</summary>
    Postgres,
}
