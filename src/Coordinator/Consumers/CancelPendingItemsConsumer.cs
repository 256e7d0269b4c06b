using MassTransit;
using Microsoft.EntityFrameworkCore;
using Pipeline.Contracts;
using Pipeline.Coordinator.Persistence;
using Pipeline.Coordinator.StateMachines;

namespace Pipeline.Coordinator.Consumers;

/// <summary>Marks the never-started items of a cancelled job in one UPDATE. Only items at or past the job's dispatch
/// cursor are touched, and those can receive no other event, so bypassing the row version races with nothing.</summary>
public sealed class CancelPendingItemsConsumer(CoordinatorDbContext db, ILogger<CancelPendingItemsConsumer> logger) : IConsumer<CancelPendingItems>
{
    public async Task Consume(ConsumeContext<CancelPendingItems> context)
    {
        var message = context.Message;
        var now = DateTimeOffset.UtcNow;
        var pending = nameof(EditItemStateMachine.Pending);
        var cancelled = nameof(EditItemStateMachine.Cancelled);
        var count = await db.Items
            .Where(i => i.JobId == message.JobId && i.Index >= message.FromIndex && i.CurrentState == pending)
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.CurrentState, cancelled).SetProperty(i => i.UpdatedAt, now), context.CancellationToken);
        logger.LogInformation("Job {JobId} cancelled: {Count} items never started", message.JobId, count);
    }
}
