using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Coordinator.Persistence;
using Pipeline.Hosting.Bus;

namespace Pipeline.Coordinator.Jobs;

/// <summary>Looks for overdue items (<see cref="OverdueItems"/>) every <see cref="CoordinatorOptions.DeadlineScanInterval"/>
/// and tells each item saga (<see cref="ItemOverdue"/>); the saga decides between a re-send and a failure. Every
/// coordinator replica runs one: the saga ignores a message about a row that has moved on, so two watches cost a
/// duplicate message, not a duplicate action. A scan that fails (database down) is simply tried at the next tick.</summary>
public sealed class StageDeadlineWatch(
    IServiceScopeFactory scopes,
    IBus bus,
    QueueNames queues,
    IOptions<CoordinatorOptions> options,
    ILogger<StageDeadlineWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DeadlineScanInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var count = await ScanAsync(stoppingToken);
                if (count > 0)
                    logger.LogWarning("{Count} items without progress for {Deadline}; driven again", count, options.Value.StageDeadline);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Deadline scan failed ({Reason}); trying again in {Interval}", e.Message, options.Value.DeadlineScanInterval);
            }
        }
    }

    /// <summary>One scan; returns how many items were found overdue.</summary>
    public async Task<int> ScanAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoordinatorDbContext>();
        var overdue = await OverdueItems.FindAsync(db, DateTimeOffset.UtcNow - options.Value.StageDeadline, cancellationToken);
        if (overdue.Count == 0)
            return 0;
        var endpoint = await bus.GetSendEndpoint(queues.AddressOf(queues.ItemSaga));
        foreach (var item in overdue)
            await endpoint.Send(new ItemOverdue(item.ItemId, item.UpdatedAt), cancellationToken);
        return overdue.Count;
    }
}
