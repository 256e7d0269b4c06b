namespace Pipeline.Coordinator.Persistence;

/// <summary>Message <paramref name="MessageId"/> started items From..From+Count-1.</summary>
public sealed record DispatchRecord(Guid MessageId, int From, int Count);
