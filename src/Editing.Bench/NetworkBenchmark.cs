using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Bench;

/// <summary>One network under measurement: a module to count FLOPs on, and one image's worth of work.</summary>
public sealed record NetworkCase(string Name, string Description, nn.Module Module, Action RunOnce) : IDisposable
{
    public void Dispose() => Module.Dispose();
}

/// <summary>The measured figures of one network: median time per image, throughput, and resident-memory drift.</summary>
public sealed record NetworkResult(string Name, string Description, double MedianMs, double MinMs, double Gflop, double GflopPerSecond,
    long RssAfterWarmupBytes, long RssAfterAllBytes, int MemoryIterations)
{
    public double RssGrowthPercent => RssAfterWarmupBytes == 0 ? 0 : 100.0 * (RssAfterAllBytes - RssAfterWarmupBytes) / RssAfterWarmupBytes;
}

/// <summary>
/// Times a network under inference mode: a warm-up, the median of <c>timedRuns</c>, then keeps running to
/// <c>memoryIterations</c> and compares resident memory after the first 5 with after all — a leak of tensors that
/// escape their dispose scope shows as steady growth.
/// </summary>
public static class NetworkBenchmark
{
    public const int MemoryBaselineIterations = 5;

    public static NetworkResult Measure(NetworkCase c, int timedRuns, int memoryIterations, Action<string>? progress = null)
    {
        using var _ = inference_mode();
        c.Module.eval();
        long flops;
        using (var counter = new FlopCounter(c.Module))
        {
            Run(c);                                           // warm-up; also the FLOP count of one image
            flops = counter.Flops;
        }
        int done = 1;
        var timing = Timing.Measure(() => Run(c), warmup: 0, runs: timedRuns);
        done += timedRuns;
        progress?.Invoke($"{c.Name}: median {timing.MedianMs:0} ms over {timedRuns} runs");
        while (done < MemoryBaselineIterations) { Run(c); done++; }
        GC.Collect(); GC.WaitForPendingFinalizers();
        long rss5 = ProcessMemory.ResidentBytes();
        while (done < memoryIterations)
        {
            Run(c);
            done++;
            if (done % 5 == 0) progress?.Invoke($"{c.Name}: {done}/{memoryIterations} iterations, resident {ProcessMemory.ResidentBytes() / (1 << 20)} MB");
        }
        GC.Collect(); GC.WaitForPendingFinalizers();
        long rssAll = ProcessMemory.ResidentBytes();
        double gflop = flops / 1e9;
        return new NetworkResult(c.Name, c.Description, timing.MedianMs, timing.MinMs, gflop, gflop / (timing.MedianMs / 1000.0), rss5, rssAll, Math.Max(done, memoryIterations));
    }

    /// <summary>One pass, its buffers disposed and their memory released as a stage of the method releases it.</summary>
    static void Run(NetworkCase c) => Pipeline.Editing.Runtime.NativeHeap.ReleasingAfter(() =>
    {
        using var scope = NewDisposeScope();
        c.RunOnce();
        return 0;
    });
}
