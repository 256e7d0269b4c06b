using Pipeline.Contracts.Api;

namespace Pipeline.Distributed.Tests.Support;

/// <summary>Reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool, which races the assertions).</summary>
public sealed class SynchronousProgress(Action<JobStatus> report) : IProgress<JobStatus>
{
    public void Report(JobStatus value) => report(value);
}
