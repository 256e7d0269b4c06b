using System.Diagnostics;
using System.Globalization;
using Pipeline.Editing.Training;

namespace Pipeline.Cli.Commands;

/// <summary>Training progress on stderr: one line every few seconds with step, losses, rate and ETA.</summary>
public sealed class ConsoleTrainingProgress : ITrainingProgress
{
    static readonly TimeSpan Every = TimeSpan.FromSeconds(5);
    readonly Stopwatch _sw = new();
    TimeSpan? _last;
    long _first;

    public void Started(string what, long firstStep, long totalSteps)
    {
        _first = firstStep;
        _sw.Restart();
        _last = null;
        Console.Error.WriteLine($"{what}: steps {firstStep} → {totalSteps}");
    }

    public void Step(long step, long totalSteps, IReadOnlyDictionary<string, double> losses)
    {
        if (_last is { } last && _sw.Elapsed - last < Every && step < totalSteps) return;
        _last = _sw.Elapsed;
        double rate = (step - _first) / Math.Max(_sw.Elapsed.TotalSeconds, 1e-9);
        var eta = rate > 0 ? TimeSpan.FromSeconds((totalSteps - step) / rate) : TimeSpan.Zero;
        var ci = CultureInfo.InvariantCulture;
        var l = string.Join("  ", losses.Select(kv => $"{kv.Key} {kv.Value.ToString("0.####", ci)}"));
        Console.Error.WriteLine($"  step {step}/{totalSteps}  {l}  {rate.ToString("0.00", ci)} steps/s  ETA {eta:hh\\:mm\\:ss}");
    }

    public void Message(string text) => Console.Error.WriteLine("  " + text);
}
