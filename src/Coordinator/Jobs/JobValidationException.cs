using Pipeline.Hosting;

namespace Pipeline.Coordinator.Jobs;

/// <summary>A submission the coordinator refuses outright (HTTP 400), each problem in words with the field it concerns.</summary>
public sealed class JobValidationException(IReadOnlyList<JobProblem> problems)
    : Exception("the job was refused: " + string.Join("; ", problems.Select(p => p.Message)))
{
    public IReadOnlyList<JobProblem> Problems { get; } = problems;
}
