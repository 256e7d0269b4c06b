using System.Diagnostics;
using MassTransit;
using Pipeline.Contracts;
using Pipeline.Coordinator.Persistence;
using Pipeline.Hosting.Telemetry;
using Pipeline.Hosting.Workers;

namespace Pipeline.Coordinator.StateMachines;

/// <summary>The item saga's spans, all in the item's trace (<see cref="ItemTrace"/>): its dispatch (the trace's root,
/// whose <c>traceparent</c> the row keeps), each stage result it records, and each redrive. A row without a trace (saved
/// before traces were kept, or by a coordinator nobody listened to) starts one at its next step.</summary>
public static class ItemSpans
{
    public static Task Dispatch<T>(BehaviorContext<ItemState, T> context, Func<Task> send) where T : class =>
        RunAsync(context.Saga, "dispatch item", null, ItemOutcomes.Completed, send);

    public static Task Record<T>(BehaviorContext<ItemState, T> context, Stage stage, Func<Task> next, bool failed = false) where T : class =>
        RunAsync(context.Saga, $"record {ItemTrace.StageName(stage)} result", stage, failed ? ItemOutcomes.Failed : ItemOutcomes.Completed, next);

    public static Task Redrive<T>(BehaviorContext<ItemState, T> context, Stage stage, Func<Task> send) where T : class =>
        RunAsync(context.Saga, $"redrive {ItemTrace.StageName(stage)}", stage, ItemOutcomes.Completed, send);

    private static async Task RunAsync(ItemState item, string name, Stage? stage, string outcome, Func<Task> next)
    {
        var key = new ItemKey(item.JobId, item.CorrelationId, item.Index);
        var span = item.TraceParent is null
            ? ItemTrace.StartRoot(name, key)
            : ItemTrace.StartSpan(name, ActivityKind.Internal, key, item.TraceParent, stage);
        if (stage is { } s && item.TraceParent is null)
            span?.SetTag(TelemetryTags.Stage, ItemTrace.StageName(s));
        item.TraceParent ??= span?.Id;
        try
        {
            await next();
            // The reason stays in the row and the API: a fault's message is not screened for addresses.
            ItemTrace.End(span, outcome, outcome == ItemOutcomes.Failed ? $"failed at {stage}" : null);
        }
        catch (Exception e)
        {
            ItemTrace.End(span, ItemOutcomes.Failed, e.GetType().Name);
            throw;
        }
    }
}
