using MassTransit;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator.Persistence;
using Pipeline.Hosting.Bus;

namespace Pipeline.Coordinator.StateMachines;

/// <summary>Records where an item's time went in a stage: the worker's figures from the stage event's header
/// (<see cref="StageTimingHeader"/>) and the report time, from the worker publishing the event to the saga handling it
/// (transit and the coordinator's queue).</summary>
public static class ItemTimings
{
    /// <summary>A new dictionary (the saga column is compared by value, never mutated in place) with the stage's timing;
    /// the stored one when the event carries no timing or no send time.</summary>
    public static Dictionary<string, StageTiming> With<T>(BehaviorContext<ItemState, T> context, Stage stage) where T : class
    {
        var stored = context.Saga.Timings;
        if (StageTimingHeader.Read(context) is not { } timing || context.SentTime is not { } sent)
            return stored;
        return new Dictionary<string, StageTiming>(stored) { [stage.ToString()] = timing with { ReportMs = (DateTime.UtcNow - sent).TotalMilliseconds } };
    }
}
