namespace Pipeline.Coordinator.Jobs;

/// <summary>A submission the coordinator refuses outright (HTTP 400), each problem in words.</summary>
public sealed class JobValidationException(IReadOnlyList<string> problems)
    : Exception("the job was refused: " + string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
