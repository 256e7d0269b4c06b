namespace Pipeline.Contracts;

/// <summary>A stage refused an item (undecodable image, unknown attribute, …); the reason is meant for the user.</summary>
public sealed record ItemRejected(Guid JobId, Guid ItemId, Stage Stage, string Reason);
