using Microsoft.Extensions.Logging;
using Pipeline.Contracts;
using Pipeline.Hosting.Workers;

namespace Pipeline.Hosting.Telemetry;

/// <summary>The log scope of one item's work: with <c>Telemetry:LogFormat=json</c> its fields appear on every line
/// written inside it, so an operator can filter a worker's log by job or item.</summary>
public static class ItemLogScope
{
    public static IDisposable? Begin(ILogger logger, Stage stage, ItemKey key) =>
        logger.BeginScope(new KeyValuePair<string, object?>[]
        {
            new("Stage", stage.ToString()),
            new("JobId", key.JobId),
            new("ItemId", key.ItemId),
            new("ItemIndex", key.Index),
        });
}
