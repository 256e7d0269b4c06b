namespace Pipeline.Editing.Training;

/// <summary>What a training run reports at its end: steps done, whether it finished, wall time over all sittings, metrics.</summary>
public sealed record TrainingOutcome(long Step, bool Finished, double WallSeconds, IReadOnlyDictionary<string, double> Metrics);
