namespace Pipeline.Hosting.Workers;

/// <summary>Exceptions that say "this item is bad" rather than "the batch failed": a processor throwing one of these
/// for a single item gets that item rejected with the exception's message instead of retrying the batch.</summary>
public static class ItemFaults
{
    public static bool IsItemFault(Exception e) =>
        e is ArgumentException or InvalidDataException or FormatException or NotSupportedException;
}
