namespace Pipeline.Editing.Training;

/// <summary>Options every training command shares (bound from the command line).</summary>
public sealed record TrainingOptions
{
    public required string OutDir { get; init; }
    public int Steps { get; init; } = 1000;
    public int BatchSize { get; init; } = 6;
    public double LearningRate { get; init; } = 1e-4;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.99;
    public long Seed { get; init; }
    public int CheckpointEvery { get; init; } = 50;
    public int SampleEvery { get; init; } = 50;
    public int LogEvery { get; init; } = 1;
    /// <summary>Continue from the latest checkpoint in <see cref="OutDir"/> when there is one.</summary>
    public bool Resume { get; init; } = true;
}
