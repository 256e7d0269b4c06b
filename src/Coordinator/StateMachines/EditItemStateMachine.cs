using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Coordinator.Persistence;
using Pipeline.Hosting.Bus;
using Pipeline.Hosting.Telemetry;

namespace Pipeline.Coordinator.StateMachines;

/// <summary>One instance per item: Pending → Inverting → DiffCamming → Deghosting → Completed, or Failed with the stage
/// and a reason (a worker's rejection, or a fault once retries and redeliveries are spent). A stage event that comes back
/// redelivered after its transition was saved means the command that followed may have been lost in a crash, so that
/// command is sent again (see <see cref="Redelivery"/>), marked as resent (<see cref="StageCommandHeaders"/>); workers
/// then look for outputs they already stored and do not recompute. An item without progress for
/// <see cref="CoordinatorOptions.StageDeadline"/> (<see cref="ItemOverdue"/>, from the deadline watch) gets its start or
/// stage command again, up to <see cref="CoordinatorOptions.StageRedrives"/> times per stage, then fails with the
/// stage and the reason; an ended item whose report the job never counted reports again. Each item has its own trace,
/// rooted where it is dispatched and carried on its stage commands (<see cref="ItemSpans"/>). Each stage result
/// records where the item's time went in that stage (<see cref="ItemTimings"/>).</summary>
public sealed class EditItemStateMachine : MassTransitStateMachine<ItemState>
{
    public EditItemStateMachine(QueueNames queues, IOptions<CoordinatorOptions> options)
    {
        var deadline = options.Value.StageDeadline;
        var redrives = options.Value.StageRedrives;
        var invert = queues.AddressOf(queues.Invert);
        var diffCam = queues.AddressOf(queues.DiffCam);
        var deghost = queues.AddressOf(queues.Deghost);

        InstanceState(x => x.CurrentState);
        Event(() => Start, e => e.CorrelateById(m => m.Message.ItemId));
        Event(() => Inverted, e => e.CorrelateById(m => m.Message.ItemId));
        Event(() => DiffCamCompleted, e => e.CorrelateById(m => m.Message.ItemId));
        Event(() => Deghosted, e => e.CorrelateById(m => m.Message.ItemId));
        Event(() => Rejected, e => e.CorrelateById(m => m.Message.ItemId));
        Event(() => InvertFaulted, e => e.CorrelateById(m => m.Message.Message.ItemId));
        Event(() => DiffCamFaulted, e => e.CorrelateById(m => m.Message.Message.ItemId));
        Event(() => DeghostFaulted, e => e.CorrelateById(m => m.Message.Message.ItemId));
        Event(() => Overdue, e =>
        {
            e.CorrelateById(m => m.Message.ItemId);
            e.OnMissingInstance(m => m.Discard());
        });

        // Rows are created in Pending by SubmitJobConsumer; the job saga starts them under its in-flight limit.
        During(Pending,
            When(Start).ThenAsync(context => ItemSpans.Dispatch(context, () => SendInvert(context, invert, resend: false))).TransitionTo(Inverting),
            // Started by the job (its start was lost on the way): start it now.
            When(Overdue, NoProgressSince).ThenAsync(context => ItemSpans.Dispatch(context, () => SendInvert(context, invert, resend: true)))
                .TransitionTo(Inverting));

        During(Inverting,
            When(Start, Redelivered).ThenAsync(context => SendInvert(context, invert, resend: true)),
            When(Inverted)
                .Then(context =>
                {
                    context.Saga.Latent = context.Message.Latent;
                    context.Saga.Inversion = context.Message.Inversion;
                    context.Saga.CarriedSource = context.Message.Input;
                    context.Saga.Edited = [.. context.Message.Edited];
                    context.Saga.Pngs = WithPngs(context.Saga.Pngs, context.Message.Pngs);
                    context.Saga.Timings = ItemTimings.With(context, Stage.Invert);
                })
                .ThenAsync(context => ItemSpans.Record(context, Stage.Invert, () => SendDiffCam(context, diffCam, resend: false)))
                .TransitionTo(DiffCamming),
            When(Rejected, context => context.Message.Stage == Stage.Invert)
                .ThenAsync(context => Fail(context, Stage.Invert, context.Message.Reason))
                .TransitionTo(Failed),
            When(InvertFaulted)
                .ThenAsync(context => Fail(context, Stage.Invert, FaultReason(context.Message)))
                .TransitionTo(Failed),
            When(Overdue, NoProgressSince)
                .IfElse(context => context.Saga.Redrives < redrives,
                    again => again.ThenAsync(context => Redrive(context, Stage.Invert, () => SendInvert(context, invert, resend: true))),
                    giveUp => giveUp.ThenAsync(context => Fail(context, Stage.Invert, NoResult(Stage.Invert, deadline, redrives))).TransitionTo(Failed)));

        During(DiffCamming,
            When(Inverted, Redelivered).ThenAsync(context => SendDiffCam(context, diffCam, resend: true)),
            When(DiffCamCompleted)
                .Then(context =>
                {
                    context.Saga.Mask = context.Message.Mask;
                    context.Saga.Composite = context.Message.Composite;
                    context.Saga.Pngs = WithPngs(context.Saga.Pngs, context.Message.Pngs);
                    context.Saga.Timings = ItemTimings.With(context, Stage.DiffCam);
                })
                .ThenAsync(context => ItemSpans.Record(context, Stage.DiffCam, () => SendDeghost(context, deghost, resend: false)))
                .TransitionTo(Deghosting),
            When(Rejected, context => context.Message.Stage == Stage.DiffCam)
                .ThenAsync(context => Fail(context, Stage.DiffCam, context.Message.Reason))
                .TransitionTo(Failed),
            When(DiffCamFaulted)
                .ThenAsync(context => Fail(context, Stage.DiffCam, FaultReason(context.Message)))
                .TransitionTo(Failed),
            When(Overdue, NoProgressSince)
                .IfElse(context => context.Saga.Redrives < redrives,
                    again => again.ThenAsync(context => Redrive(context, Stage.DiffCam, () => SendDiffCam(context, diffCam, resend: true))),
                    giveUp => giveUp.ThenAsync(context => Fail(context, Stage.DiffCam, NoResult(Stage.DiffCam, deadline, redrives))).TransitionTo(Failed)));

        During(Deghosting,
            When(DiffCamCompleted, Redelivered).ThenAsync(context => SendDeghost(context, deghost, resend: true)),
            When(Deghosted)
                .Then(context =>
                {
                    context.Saga.Final = context.Message.Final;
                    context.Saga.Pngs = WithPngs(context.Saga.Pngs, context.Message.Pngs);
                    context.Saga.Timings = ItemTimings.With(context, Stage.Deghost);
                })
                .ThenAsync(context => ItemSpans.Record(context, Stage.Deghost, () => PublishCompleted(context)))
                .TransitionTo(Completed),
            When(Rejected, context => context.Message.Stage == Stage.Deghost)
                .ThenAsync(context => Fail(context, Stage.Deghost, context.Message.Reason))
                .TransitionTo(Failed),
            When(DeghostFaulted)
                .ThenAsync(context => Fail(context, Stage.Deghost, FaultReason(context.Message)))
                .TransitionTo(Failed),
            When(Overdue, NoProgressSince)
                .IfElse(context => context.Saga.Redrives < redrives,
                    again => again.ThenAsync(context => Redrive(context, Stage.Deghost, () => SendDeghost(context, deghost, resend: true))),
                    giveUp => giveUp.ThenAsync(context => Fail(context, Stage.Deghost, NoResult(Stage.Deghost, deadline, redrives))).TransitionTo(Failed)));

        // The report of an ended item that the job has not counted (the watch only asks about those) was lost: again.
        During(Completed,
            When(Deghosted, Redelivered).ThenAsync(PublishCompleted),
            When(Overdue).ThenAsync(PublishCompleted));

        During(Failed,
            When(Overdue).ThenAsync(PublishFailed),
            When(Rejected, Redelivered).ThenAsync(PublishFailed),
            When(InvertFaulted, Redelivered).ThenAsync(PublishFailed),
            When(DiffCamFaulted, Redelivered).ThenAsync(PublishFailed),
            When(DeghostFaulted, Redelivered).ThenAsync(PublishFailed));

        // Anything else is a plain duplicate of a step already taken (a second start, a fault of a retry whose twin
        // succeeded): nothing to do.
        OnUnhandledEvent(context => context.Ignore());
    }

    public State Pending { get; private set; } = null!;
    public State Inverting { get; private set; } = null!;
    public State DiffCamming { get; private set; } = null!;
    public State Deghosting { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Failed { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;

    public Event<StartItem> Start { get; private set; } = null!;
    public Event<ItemInverted> Inverted { get; private set; } = null!;
    public Event<ItemDiffCamCompleted> DiffCamCompleted { get; private set; } = null!;
    public Event<ItemDeghosted> Deghosted { get; private set; } = null!;
    public Event<ItemRejected> Rejected { get; private set; } = null!;
    public Event<Fault<InvertItem>> InvertFaulted { get; private set; } = null!;
    public Event<Fault<DiffCamItem>> DiffCamFaulted { get; private set; } = null!;
    public Event<Fault<DeghostItem>> DeghostFaulted { get; private set; } = null!;
    public Event<ItemOverdue> Overdue { get; private set; } = null!;

    private static bool Redelivered<T>(BehaviorContext<ItemState, T> context) where T : class => Redelivery.MayHaveLostSends(context);

    /// <summary>The row the watch saw is the row as it is now: nothing happened to the item since.</summary>
    private static bool NoProgressSince(BehaviorContext<ItemState, ItemOverdue> context) =>
        (context.Saga.UpdatedAt - context.Message.UpdatedAt).Duration() < TimeSpan.FromMilliseconds(1);

    private static Task Redrive(BehaviorContext<ItemState, ItemOverdue> context, Stage stage, Func<Task> send)
    {
        context.Saga.Redrives++;
        return ItemSpans.Redrive(context, stage, send);
    }

    /// <summary>A new dictionary (the saga column is compared by value, never mutated in place) with a stage's renders added.</summary>
    private static Dictionary<string, BlobRef> WithPngs(Dictionary<string, BlobRef> stored, IReadOnlyDictionary<string, BlobRef>? added)
    {
        var all = new Dictionary<string, BlobRef>(stored);
        foreach (var (role, blob) in added ?? new Dictionary<string, BlobRef>())
            all[role] = blob;
        return all;
    }

    private static string NoResult(Stage stage, TimeSpan deadline, int redrives) =>
        $"no result from the {stage} stage within {deadline} of its command, sent {redrives + 1} times";

    private static Task SendInvert<T>(BehaviorContext<ItemState, T> context, Uri address, bool resend) where T : class
    {
        var item = context.Saga;
        return SendAsync(context, address, new InvertItem(item.JobId, item.CorrelationId, item.Index, item.Source, item.Edits, item.Options), resend);
    }

    private static Task SendDiffCam<T>(BehaviorContext<ItemState, T> context, Uri address, bool resend) where T : class
    {
        var item = context.Saga;
        return SendAsync(context, address,
            new DiffCamItem(item.JobId, item.CorrelationId, item.Index, item.CarriedSource ?? item.Source, item.Inversion!, item.Edited, item.Options, item.Edits), resend);
    }

    private static Task SendDeghost<T>(BehaviorContext<ItemState, T> context, Uri address, bool resend) where T : class
    {
        var item = context.Saga;
        return SendAsync(context, address, new DeghostItem(item.JobId, item.CorrelationId, item.Index, item.Composite!, item.Options), resend);
    }

    private static async Task SendAsync<T, TCommand>(BehaviorContext<ItemState, T> context, Uri address, TCommand command, bool resend)
        where T : class where TCommand : class
    {
        context.Saga.UpdatedAt = DateTimeOffset.UtcNow;
        if (!resend)
            context.Saga.Redrives = 0;
        var traceParent = context.Saga.TraceParent;
        var endpoint = await context.GetSendEndpoint(address);
        await endpoint.Send(command, (SendContext<TCommand> send) =>
        {
            if (resend)
                StageCommandHeaders.MarkResent(send);
            ItemTrace.Send(send, traceParent);
        }, context.CancellationToken);
    }

    private static Task Fail<T>(BehaviorContext<ItemState, T> context, Stage stage, string reason) where T : class
    {
        context.Saga.FailedStage = stage;
        context.Saga.FailureReason = reason;
        context.Saga.UpdatedAt = DateTimeOffset.UtcNow;
        return ItemSpans.Record(context, stage, () => PublishFailed(context), failed: true);
    }

    private static Task PublishFailed<T>(BehaviorContext<ItemState, T> context) where T : class
    {
        var item = context.Saga;
        return context.Publish(new ItemFailed(item.JobId, item.CorrelationId, item.Index, item.FailedStage ?? Stage.Invert, item.FailureReason ?? "failed"),
            context.CancellationToken);
    }

    private static Task PublishCompleted<T>(BehaviorContext<ItemState, T> context) where T : class
    {
        var item = context.Saga;
        item.UpdatedAt = DateTimeOffset.UtcNow;
        return context.Publish(new ItemCompleted(item.JobId, item.CorrelationId, item.Index), context.CancellationToken);
    }

    private static string FaultReason<TCommand>(Fault<TCommand> fault) where TCommand : class =>
        fault.Exceptions.FirstOrDefault() is { } exception
            ? $"gave up after retries: {exception.Message}"
            : "gave up after retries";
}
