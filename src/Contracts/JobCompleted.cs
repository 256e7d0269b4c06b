namespace Pipeline.Contracts;

/// <summary>Every item of the job is Completed, Failed or Cancelled.</summary>
public sealed record JobCompleted(Guid JobId, int Total, int Completed, int Failed, int Cancelled, bool WasCancelled);
