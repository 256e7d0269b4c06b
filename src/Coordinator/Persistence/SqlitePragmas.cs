using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Pipeline.Coordinator.Persistence;

/// <summary>Per-connection SQLite settings for the embedded mode: with WAL, <c>synchronous=NORMAL</c> survives a process
/// crash (only a power loss can drop the last commits) and saves an fsync per saga save, which otherwise caps the
/// coordinator at a few hundred events per second.</summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
