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

    /// <summary>Hold batches of this stage for <see cref="Stall"/> before computing them: the first
    /// <see cref="StalledBatches"/> of them (tests the coordinator's stage deadline and re-send, and its give-up).</summary>
    public Stage? StallBatchesOf { get; set; }

    public int StalledBatches { get; set; } = 1;

    public TimeSpan Stall { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>End the worker process at once (as a native crash does) when an invert input is a PNG this wide: a
    /// poison message.</summary>
    public int? CrashOnSourceWidth { get; set; }
}
