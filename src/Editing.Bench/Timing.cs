using System.Diagnostics;

namespace Pipeline.Editing.Bench;

/// <summary>Repeated timing with a warm-up; reports the median, which is robust to the odd slow run on a shared machine,
/// and the median CPU time of the process over the same runs (on a busy machine the wall time also counts the waits for
/// a core; the CPU time does not).</summary>
public static class Timing
{
    public sealed record Result(double MedianMs, double MinMs, double MaxMs, int Runs)
    {
        /// <summary>The process's CPU time per run (every thread, GC included), median.</summary>
        public double MedianCpuMs { get; init; }
    }

    public static Result Measure(Action run, int warmup, int runs)
    {
        for (int i = 0; i < warmup; i++) run();
        var ms = new double[runs];
        var cpu = new double[runs];
        using var process = Process.GetCurrentProcess();
        for (int i = 0; i < runs; i++)
        {
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            run();
            ms[i] = sw.Elapsed.TotalMilliseconds;
            process.Refresh();
            cpu[i] = (process.TotalProcessorTime - cpuStart).TotalMilliseconds;
        }
        Array.Sort(ms);
        return new Result(Median(ms), ms[0], ms[^1], runs) { MedianCpuMs = Median(cpu) };
    }

    /// <summary>The middle value (the mean of the two middle ones for an even count) of a non-empty set: what every
    /// benchmark reports, since single runs on a shared machine spread widely.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
