namespace Pipeline.Coordinator.Persistence;

/// <summary>Coordinator database settings, bound from the <c>DatabaseOptions</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>A secret (it may hold a password): logged masked.</summary>
    public string ConnectionString { get; set; } = "Data Source=pipeline.db";

    /// <summary>Apply migrations (PostgreSQL) or create the schema (SQLite) at start.</summary>
    public bool InitializeOnStart { get; set; } = true;
}
