namespace Pipeline.Hosting.Workers;

/// <summary>What a processor made of one item of a batch: an output, or a rejection whose reason a user understands
/// ("the image is 50×40 pixels; the model needs 1024×1024"). A processor throws only when the whole batch failed
/// (out of memory, device lost); the host retries such a batch and isolates an item that keeps throwing.</summary>
/// <param name="Milliseconds">The item's share of the stage's time by step (e.g. <c>invert</c>, <c>edit</c>). The host
/// logs it and never stores it with the outputs: stored outputs are a function of the inputs, models, options and seed
/// only, so a recomputed item writes the bytes its first computation wrote.</param>
public sealed record ItemOutcome<TOutput>(Guid ItemId, TOutput? Output, string? RejectionReason,
    IReadOnlyDictionary<string, double>? Milliseconds = null)
    where TOutput : class
{
    public static ItemOutcome<TOutput> Done(Guid itemId, TOutput output, IReadOnlyDictionary<string, double>? milliseconds = null) =>
        new(itemId, output, null, milliseconds);

    public static ItemOutcome<TOutput> Rejected(Guid itemId, string reason) => new(itemId, null, reason);

    public bool IsRejected => RejectionReason is not null;
}
