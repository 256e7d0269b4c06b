namespace Pipeline.Contracts.Api;

/// <summary>One stage's <see cref="StageTiming"/> over the items of a job that recorded one: how many, and the mean and
/// median of each figure in milliseconds (the batch size as a mean).</summary>
public sealed record StageTimingSummary(
    string Stage,
    int Items,
    TimingFigure Queue,
    TimingFigure Inputs,
    TimingFigure Compute,
    TimingFigure Outputs,
    TimingFigure Report,
    double MeanBatchSize);
