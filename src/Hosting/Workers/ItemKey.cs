namespace Pipeline.Hosting.Workers;

/// <summary>Which item a stage command is about; the blob names of its outputs follow from it.</summary>
public readonly record struct ItemKey(Guid JobId, Guid ItemId, int Index);
