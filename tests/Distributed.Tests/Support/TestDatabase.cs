using Npgsql;

namespace Pipeline.Distributed.Tests.Support;

/// <summary>A fresh PostgreSQL database per test (the role may CREATEDB; EF migrations create it), dropped afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public TestDatabase()
    {
        var builder = new NpgsqlConnectionStringBuilder(ServiceEnvironment.Require(ServiceVariables.Postgres))
        {
            Database = $"pipeline_t{Guid.NewGuid():N}"[..30],
        };
        ConnectionString = builder.ConnectionString;
    }

    public string ConnectionString { get; }

    public async ValueTask DisposeAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        var name = builder.Database;
        builder.Database = "postgres";
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        // FORCE ends the database's other connections, which this role may not do to a superuser's: an autovacuum
        // worker that has just started on the busy test database. It finishes within moments, so the drop is retried.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < DropAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt));
            }
        }
    }

    const int DropAttempts = 6;
}
