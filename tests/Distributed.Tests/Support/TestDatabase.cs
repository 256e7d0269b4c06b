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
        await drop.ExecuteNonQueryAsync();
    }
}
