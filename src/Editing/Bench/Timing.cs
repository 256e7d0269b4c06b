using System.Diagnostics;

namespace Pipeline.Editing.Bench;

/// <summary>Repeated timing with a warm-up; reports the median, which is robust to the odd slow run on a shared machine.</summary>
public static class Timing
{
    public sealed record Result(double MedianMs, double MinMs, double MaxMs, int Runs);

    public static Result Measure(Action run, int warmup, int runs)
    {
        for (int i = 0; i < warmup; i++) run();
        var ms = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            run();
            ms[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(ms);
        double median = runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
        return new Result(median, ms[0], ms[^1], runs);
    }
}
