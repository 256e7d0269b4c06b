using System.Globalization;
using System.Text;
using MassTransit;
using Pipeline.Contracts;
using Pipeline.Storage;

namespace Pipeline.Hosting.Workers;

/// <summary>Recognises a stage command that stops its worker (a native crash, out of memory, a kill), which would
/// otherwise be handed to one worker after another, forever. A quorum queue counts the deliveries of a message that
/// were never acknowledged (<c>x-delivery-count</c>), but a crash returns every message the worker held, the ones
/// waiting in its prefetch buffer and its batch included, so that count alone would condemn the innocent neighbours
/// of one bad item. So an item delivered before runs on its own, and its solo runs are counted in storage
/// (<see cref="BlobNames.SoloRuns"/>) just before each one: only the item that was running when the worker stopped
/// gains a run it never finished, and at <see cref="Bus.BusOptions.PoisonRuns"/> it fails with a reason. The in-memory
/// transport and classic queues carry no delivery count: there nothing is suspect.</summary>
public static class PoisonMessages
{
    public const string DeliveryCountHeader = "x-delivery-count";

    /// <summary>Earlier deliveries of this message that were never acknowledged.</summary>
    public static long EarlierDeliveries(ConsumeContext context)
    {
        if (!context.ReceiveContext.TransportHeaders.TryGetHeader(DeliveryCountHeader, out var value) || value is null)
            return 0;
        try
        {
            return Convert.ToInt64(value, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            return 0;
        }
    }

    /// <summary>Solo runs of the item's stage that were started before (0 when none was).</summary>
    public static async Task<int> SoloRunsAsync(IBlobStore blobs, ItemKey key, Stage stage, CancellationToken cancellationToken)
    {
        var counter = await blobs.TryGetRefAsync(BlobNames.SoloRuns(key.JobId, key.Index, stage), cancellationToken);
        if (counter is null)
            return 0;
        var text = Encoding.ASCII.GetString(await blobs.GetAsync(counter, cancellationToken));
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var runs) ? runs : 0;
    }

    public static Task RecordSoloRunAsync(IBlobStore blobs, ItemKey key, Stage stage, int runs, CancellationToken cancellationToken) =>
        blobs.PutAsync(BlobNames.SoloRuns(key.JobId, key.Index, stage), Encoding.ASCII.GetBytes(runs.ToString(CultureInfo.InvariantCulture)),
            "text/plain", cancellationToken);

    public static string Reason(Stage stage, int runs) =>
        $"the {stage} worker stopped {runs} times while running this item on its own (a native crash, out of memory or a kill); " +
        "it is not run again";
}
