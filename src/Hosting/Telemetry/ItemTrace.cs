using System.Diagnostics;
using MassTransit;
using Pipeline.Contracts;
using Pipeline.Hosting.Workers;

namespace Pipeline.Hosting.Telemetry;

/// <summary>One trace per item. MassTransit carries the context of whatever activity sends a message, which for a
/// stage command is the coordinator's handling of the message that caused it: for the first stage, the job's
/// dispatch of a whole window of items. So the coordinator starts a root span per item when it dispatches it, keeps
/// its W3C <c>traceparent</c> in the item's saga row, and sends it on every stage command in <see cref="Header"/>; each
/// worker parents its per-item span on it, and the coordinator its handling of each stage's result. Redrives and resends
/// read it from the row, so they continue the same trace.</summary>
public static class ItemTrace
{
    public const string Header = "Pipeline-Item-TraceParent";

    /// <summary>Starts the item's root span (no parent, whatever is current) and returns it; null when nobody listens.</summary>
    public static Activity? StartRoot(string name, ItemKey key)
    {
        var current = Activity.Current;
        Activity.Current = null;
        try
        {
            return PipelineTelemetry.Source.StartActivity(name, ActivityKind.Internal, default(ActivityContext), Tags(key));
        }
        finally
        {
            Activity.Current = current;
        }
    }

    /// <summary>Starts a span of the item's trace (<paramref name="traceParent"/>; under the current activity when
    /// the item has none), without making it current: a batch starts one per item.</summary>
    public static Activity? StartSpan(string name, ActivityKind kind, ItemKey key, string? traceParent, Stage? stage = null,
        IEnumerable<ActivityLink>? links = null)
    {
        var current = Activity.Current;
        var parent = ActivityContext.TryParse(traceParent, null, out var context) ? context : current?.Context ?? default;
        var tags = Tags(key);
        if (stage is { } s)
            tags.Add(new(TelemetryTags.Stage, StageName(s)));
        var activity = PipelineTelemetry.Source.StartActivity(name, kind, parent, tags, links);
        Activity.Current = current;
        return activity;
    }

    public static void Send(SendContext context, string? traceParent)
    {
        if (traceParent is not null)
            context.Headers.Set(Header, traceParent);
    }

    public static string? Of(ConsumeContext context) => context.Headers.Get<string>(Header);

    /// <summary>Ends the span with its outcome (<c>completed</c>, <c>reused</c>, <c>rejected</c>, <c>failed</c>); a
    /// rejection or failure marks it as an error with the reason (already free of paths).</summary>
    public static void End(Activity? activity, string outcome, string? reason = null)
    {
        if (activity is null)
            return;
        activity.SetTag(TelemetryTags.Outcome, outcome);
        if (reason is not null)
            activity.SetStatus(ActivityStatusCode.Error, reason);
        // Stop makes the span's parent current, and a span parented on a propagated context has none here.
        var current = Activity.Current;
        activity.Stop();
        if (current != activity)
            Activity.Current = current;
    }

    public static string StageName(Stage stage) => stage.ToString().ToLowerInvariant();

    private static ActivityTagsCollection Tags(ItemKey key) => new()
    {
        [TelemetryTags.JobId] = key.JobId.ToString(),
        [TelemetryTags.ItemId] = key.ItemId.ToString(),
        [TelemetryTags.ItemIndex] = key.Index,
    };
}
