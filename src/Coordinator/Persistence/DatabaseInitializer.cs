using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pipeline.Storage;

namespace Pipeline.Coordinator.Persistence;

/// <summary>Brings the schema up to date before the bus starts consuming (registered ahead of MassTransit, and hosted
/// services start in order): migrations on PostgreSQL, EnsureCreated on SQLite plus WAL so readers do not block the
/// saga writers.</summary>
public sealed class DatabaseInitializer(IServiceProvider services, IOptions<DatabaseOptions> options, ILogger<DatabaseInitializer> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        logger.LogInformation("Database: {Provider} ({ConnectionString})", settings.Provider, Secrets.MaskConnectionString(settings.ConnectionString));
        if (!settings.InitializeOnStart)
            return;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoordinatorDbContext>();
        if (settings.Provider == DatabaseProvider.Postgres)
        {
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }
        await db.Database.EnsureCreatedAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
