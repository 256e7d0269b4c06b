using MassTransit;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using Pipeline.Contracts;
using Pipeline.Coordinator.Persistence;
using Pipeline.Coordinator.StateMachines;
using Pipeline.Hosting.Telemetry;

namespace Pipeline.Coordinator.Consumers;

/// <summary>Records a job and all its items in one transaction (job saga in Running, item sagas in Pending), then
/// announces it. Idempotent: a redelivered or resubmitted SubmitJob finds the job and only announces it again.</summary>
public sealed class SubmitJobConsumer(CoordinatorDbContext db, IOptions<CoordinatorOptions> options, PipelineMetrics metrics,
    ILogger<SubmitJobConsumer> logger)
    : IConsumer<SubmitJob>
{
    public async Task Consume(ConsumeContext<SubmitJob> context)
    {
        var submit = context.Message;
        // The API refuses a maxInFlight outside [1, limit]; a command sent to the bus directly is held to it here, since
        // 0 would never start an item and a huge value would start them all at once.
        var limit = options.Value.Limits.MaxInFlight;
        if (submit.MaxInFlight < 1 || submit.MaxInFlight > limit)
        {
            logger.LogWarning("Job {JobId}: maxInFlight {MaxInFlight} is outside [1, {Limit}]; using {Used}", submit.JobId, submit.MaxInFlight, limit,
                Math.Clamp(submit.MaxInFlight, 1, limit));
            submit = submit with { MaxInFlight = Math.Clamp(submit.MaxInFlight, 1, limit) };
        }
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.CorrelationId == submit.JobId, context.CancellationToken);
        var total = job?.Total ?? submit.Items.Count;
        if (job is null)
        {
            var now = DateTimeOffset.UtcNow;
            db.Jobs.Add(new JobState
            {
                CorrelationId = submit.JobId,
                CurrentState = nameof(EditJobStateMachine.Running),
                Total = total,
                MaxInFlight = submit.MaxInFlight,
                FinishedItems = JobProgress.EmptyBitmap(total),
                Edits = [.. submit.Edits],
                Options = submit.Options,
                CreatedAt = now,
            });
            for (var index = 0; index < total; index++)
            {
                var spec = submit.Items[index];
                db.Items.Add(new ItemState
                {
                    CorrelationId = ItemIds.For(submit.JobId, index),
                    JobId = submit.JobId,
                    Index = index,
                    CurrentState = nameof(EditItemStateMachine.Pending),
                    Source = spec.Source,
                    Edits = [.. spec.Edits ?? submit.Edits],
                    Options = submit.Options,
                    UpdatedAt = now,
                });
            }
            await db.SaveChangesAsync(context.CancellationToken);
            metrics.ItemsAccepted(total);
            logger.LogInformation("Job {JobId} accepted: {Total} items, at most {MaxInFlight} in flight", submit.JobId, total, submit.MaxInFlight);
        }
        var accepted = new JobAccepted(submit.JobId, total);
        await context.Publish(accepted, context.CancellationToken);
        if (context.ResponseAddress is not null)
            await context.RespondAsync(accepted);
    }
}
