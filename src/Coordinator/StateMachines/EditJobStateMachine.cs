using MassTransit;
using Pipeline.Contracts;
using Pipeline.Coordinator.Persistence;
using Pipeline.Hosting.Bus;

namespace Pipeline.Coordinator.StateMachines;

/// <summary>One instance per job. Starts items up to the job's in-flight limit, counts each item's report once, starts
/// the next item as one finishes, stops starting on cancel, and completes when every item is Completed, Failed or
/// Cancelled. Stage events go to the item sagas, so only two reports per item reach this row.</summary>
public sealed class EditJobStateMachine : MassTransitStateMachine<JobState>
{
    public EditJobStateMachine(QueueNames queues)
    {
        var itemSaga = queues.AddressOf(queues.ItemSaga);
        var cancelPending = queues.AddressOf(queues.CancelPendingItems);

        InstanceState(x => x.CurrentState);
        Event(() => Accepted, e => e.CorrelateById(m => m.Message.JobId));
        Event(() => ItemCompleted, e => e.CorrelateById(m => m.Message.JobId));
        Event(() => ItemFailed, e => e.CorrelateById(m => m.Message.JobId));
        Event(() => Cancel, e => e.CorrelateById(m => m.Message.JobId));

        // Rows are created in Running by SubmitJobConsumer, together with their items, in one transaction.
        During(Running,
            When(Accepted)
                .ThenAsync(context => StartItems(context, itemSaga, context.Saga.Dispatched == 0
                    ? JobProgress.TakeNext(context.Saga, context.MessageId)
                    : JobProgress.StartsOf(context.Saga, context.MessageId))),
            When(ItemCompleted)
                .ThenAsync(context => OnItemReport(context, itemSaga, context.Message.Index, completed: true))
                .IfElse(context => JobProgress.IsDone(context.Saga), Finish, stay => stay),
            When(ItemFailed)
                .ThenAsync(context => OnItemReport(context, itemSaga, context.Message.Index, completed: false))
                .IfElse(context => JobProgress.IsDone(context.Saga), Finish, stay => stay),
            When(Cancel)
                .If(context => !context.Saga.CancelRequested || Redelivery.MayHaveLostSends(context), cancel => cancel
                    .ThenAsync(async context =>
                    {
                        var job = context.Saga;
                        if (!job.CancelRequested)
                        {
                            job.CancelRequested = true;
                            job.Cancelled = job.Total - job.Dispatched;
                        }
                        var endpoint = await context.GetSendEndpoint(cancelPending);
                        await endpoint.Send(new CancelPendingItems(job.CorrelationId, job.Dispatched), context.CancellationToken);
                    }))
                .IfElse(context => JobProgress.IsDone(context.Saga), Finish, stay => stay));

        // The message that ended the job, redelivered: its JobCompleted may have been lost. Counts stay exact.
        During(Completed, Cancelled,
            When(ItemCompleted, Redelivery.MayHaveLostSends).ThenAsync(PublishCompleted),
            When(ItemFailed, Redelivery.MayHaveLostSends).ThenAsync(PublishCompleted),
            Ignore(Accepted),
            Ignore(Cancel));
    }

    public State Running { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;

    public Event<JobAccepted> Accepted { get; private set; } = null!;
    public Event<ItemCompleted> ItemCompleted { get; private set; } = null!;
    public Event<ItemFailed> ItemFailed { get; private set; } = null!;
    public Event<CancelJob> Cancel { get; private set; } = null!;

    private EventActivityBinder<JobState, T> Finish<T>(EventActivityBinder<JobState, T> binder) where T : class =>
        binder
            .Then(context => context.Saga.FinishedAt = DateTimeOffset.UtcNow)
            .IfElse(context => context.Saga.CancelRequested,
                cancelled => cancelled.TransitionTo(Cancelled),
                completed => completed.TransitionTo(Completed))
            .ThenAsync(PublishCompleted);

    private static async Task OnItemReport<T>(BehaviorContext<JobState, T> context, Uri itemSaga, int index, bool completed) where T : class
    {
        var job = context.Saga;
        if (!JobProgress.TryMarkFinished(job, index))
        {
            await StartItems(context, itemSaga, JobProgress.StartsOf(job, context.MessageId));
            return;
        }
        if (completed)
            job.Completed++;
        else
            job.Failed++;
        await StartItems(context, itemSaga, JobProgress.TakeNext(job, context.MessageId));
    }

    private static async Task StartItems<T>(BehaviorContext<JobState, T> context, Uri itemSaga, List<int> indices) where T : class
    {
        if (indices.Count == 0)
            return;
        var endpoint = await context.GetSendEndpoint(itemSaga);
        var jobId = context.Saga.CorrelationId;
        foreach (var index in indices)
            await endpoint.Send(new StartItem(jobId, ItemIds.For(jobId, index), index), context.CancellationToken);
    }

    private static Task PublishCompleted<T>(BehaviorContext<JobState, T> context) where T : class
    {
        var job = context.Saga;
        return context.Publish(new JobCompleted(job.CorrelationId, job.Total, job.Completed, job.Failed, job.Cancelled, job.CancelRequested),
            context.CancellationToken);
    }
}
