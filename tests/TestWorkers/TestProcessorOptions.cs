using Pipeline.Contracts;

namespace Pipeline.TestWorkers;

/// <summary>Settings of the deterministic test processors (section <c>TestProcessorOptions</c>).</summary>
public sealed class TestProcessorOptions
{
    /// <summary>The stage a test worker process serves.</summary>
    public Stage Stage { get; set; }

    /// <summary>Simulated compute time per item, so failure tests can strike mid-job.</summary>
    public TimeSpan DelayPerItem { get; set; } = TimeSpan.Zero;

    /// <summary>Simulated model load time.</summary>
    public TimeSpan LoadDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Side of the square images the invert stage accepts.</summary>
    public int ImageSize { get; set; } = 16;

    /// <summary>Throw on every batch of this stage (tests the retry → error queue → item Failed path).</summary>
    public Stage? FailEveryBatchOf { get; set; }
}
