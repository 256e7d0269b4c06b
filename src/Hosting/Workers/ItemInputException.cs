namespace Pipeline.Hosting.Workers;

/// <summary>An item's input cannot be used (missing blob, hash mismatch, invalid edit); the message is the reason the
/// user sees on the failed item.</summary>
public sealed class ItemInputException(string reason, Exception? inner = null) : Exception(reason, inner);
