namespace Pipeline.Hosting.Workers;

/// <summary>What a processor made of one item of a batch: an output, or a rejection whose reason a user understands
/// ("the image is 50×40 pixels; the model needs 1024×1024"). A processor throws only when the whole batch failed
/// (out of memory, device lost); the host retries such a batch and isolates an item that keeps throwing.</summary>
public sealed record ItemOutcome<TOutput>(Guid ItemId, TOutput? Output, string? RejectionReason)
    where TOutput : class
{
    public static ItemOutcome<TOutput> Done(Guid itemId, TOutput output) => new(itemId, output, null);

    public static ItemOutcome<TOutput> Rejected(Guid itemId, string reason) => new(itemId, null, reason);

    public bool IsRejected => RejectionReason is not null;
}
