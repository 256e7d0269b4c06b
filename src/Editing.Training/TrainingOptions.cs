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
    /// <summary>T_0 of the cosine warm restarts; null is <see cref="Steps"/>, as the official trainers set it.</summary>
    public long? RestartPeriod { get; init; }
    public double MinLearningRate { get; init; } = CosineWarmRestarts.OfficialMinLearningRate;
    public int CheckpointEvery { get; init; } = 50;
    public int SampleEvery { get; init; } = 50;
    public int LogEvery { get; init; } = 1;
    /// <summary>Held-out evaluation every N steps (0 = only at the end).</summary>
    public int EvalEvery { get; init; } = 50;
    /// <summary>Continue from the latest checkpoint in <see cref="OutDir"/> when there is one.</summary>
    public bool Resume { get; init; } = true;

    public CosineWarmRestarts Schedule => new(LearningRate, RestartPeriod ?? Steps, MinLearningRate);

    public void Validate()
    {
        if (Steps < 1) throw new ArgumentException($"--steps must be at least 1, got {Steps}");
        if (BatchSize < 1) throw new ArgumentException($"--batch must be at least 1, got {BatchSize}");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"--lr must be a positive number, got {LearningRate}");
        if (Beta1 is < 0 or >= 1 || Beta2 is < 0 or >= 1) throw new ArgumentException($"Adam betas must lie in [0,1), got {Beta1}, {Beta2}");
        if (RestartPeriod is < 1) throw new ArgumentException($"the restart period must be at least 1 step, got {RestartPeriod}");
        if (MinLearningRate < 0 || MinLearningRate > LearningRate) throw new ArgumentException($"the minimum learning rate {MinLearningRate} must lie in [0, {LearningRate}]");
        if (CheckpointEvery < 0 || SampleEvery < 0 || EvalEvery < 0 || LogEvery < 1)
            throw new ArgumentException("checkpoint/sample/eval intervals must be ≥ 0 and the log interval ≥ 1");
    }

    /// <summary>The options as run metadata (run.json).</summary>
    public Dictionary<string, object> Describe() => new()
    {
        ["steps"] = Steps, ["batch"] = BatchSize, ["lr"] = LearningRate, ["betas"] = new[] { Beta1, Beta2 }, ["seed"] = Seed,
        ["scheduler"] = $"CosineAnnealingWarmRestarts(T_0={RestartPeriod ?? Steps}, eta_min={MinLearningRate})",
        ["checkpoint_every"] = CheckpointEvery, ["sample_every"] = SampleEvery, ["eval_every"] = EvalEvery,
    };
}
