using System.Diagnostics;
using System.Globalization;
using Pipeline.Editing.Training;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>
/// Training progress on stderr: a Spectre.Console bar with the latest losses, elapsed time and ETA on a terminal; plain
/// lines (step, losses, ETA) every few seconds when stderr is redirected to a log.
/// </summary>
public static class TrainingProgressBar
{
    static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(5);

    public static T Run<T>(Func<ITrainingProgress, T> body)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (!console.Profile.Capabilities.Interactive) return body(new PlainProgress(Console.Error));
        T result = default!;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx => result = body(new BarProgress(ctx, console)));
        return result;
    }

    internal static string Describe(IReadOnlyDictionary<string, double> losses) =>
        string.Join("  ", losses.Select(kv => $"{kv.Key} {kv.Value.ToString(kv.Key == "lr" ? "0.##e+0" : "0.####", CultureInfo.InvariantCulture)}"));

    sealed class BarProgress(ProgressContext context, IAnsiConsole console) : ITrainingProgress
    {
        ProgressTask? _task;
        string _what = "";

        public void Started(string what, long firstStep, long totalSteps)
        {
            _what = what;
            _task = context.AddTask(Markup.Escape(what), maxValue: totalSteps);
            _task.Value = firstStep - 1;
        }

        public void Step(long step, long totalSteps, IReadOnlyDictionary<string, double> losses)
        {
            if (_task is null) return;
            _task.Value = step;
            _task.Description = Markup.Escape($"{_what} {step}/{totalSteps}  {Describe(losses)}");
        }

        public void Message(string text) => console.MarkupLine(Markup.Escape(text));
    }

    sealed class PlainProgress(TextWriter writer) : ITrainingProgress
    {
        readonly Stopwatch _clock = new();
        TimeSpan? _last;
        long _first;
        string _what = "";

        public void Started(string what, long firstStep, long totalSteps)
        {
            (_what, _first) = (what, firstStep);
            _clock.Restart();
            writer.WriteLine($"{what}: steps {firstStep}..{totalSteps}");
        }

        public void Step(long step, long totalSteps, IReadOnlyDictionary<string, double> losses)
        {
            if (_last is { } last && _clock.Elapsed - last < PlainEvery && step != totalSteps) return;
            _last = _clock.Elapsed;
            double perStep = _clock.Elapsed.TotalSeconds / Math.Max(1, step - _first + 1);
            var eta = TimeSpan.FromSeconds(perStep * (totalSteps - step));
            writer.WriteLine($"{_what} {step}/{totalSteps}  {Describe(losses)}  eta {eta:hh\\:mm\\:ss}");
        }

        public void Message(string text) => writer.WriteLine(text);
    }
}
