namespace Pipeline.Contracts;

/// <summary>The coordinator's deadline watch found item <paramref name="ItemId"/> without progress since
/// <paramref name="UpdatedAt"/> (its saga row's time when the watch read it): a start, a stage command or an item report
/// may have been lost. The item saga decides what to do, and ignores the message when the row has moved on since.</summary>
public sealed record ItemOverdue(Guid ItemId, DateTimeOffset UpdatedAt);
