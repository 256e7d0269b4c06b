using System.Diagnostics;

namespace Pipeline.Editing.Training;

/// <summary>What a trainer does at a step, and at its periodic checkpoints, evaluations and sample grids.</summary>
public sealed record TrainingHooks(
    Func<long, IReadOnlyDictionary<string, double>> Step,
    Action<long, double> Checkpoint,
    Action<long, double>? Evaluate = null,
    Action<long>? Sample = null);

/// <summary>
/// The loop both trainers share: steps <c>first..Steps</c>, the CSV log, progress, evaluation / sample / checkpoint
/// every N steps and at the end; stopping early (a step limit for this run, or cancellation) checkpoints where it
/// stopped, so the next run resumes there.
/// </summary>
public static class TrainingLoop
{
    /// <summary>Runs the loop; returns the last completed step.</summary>
    /// <param name="secondsBefore">wall time spent by earlier runs of the same training (from the checkpoint)</param>
    public static long Run(string what, TrainingOptions options, long lastDone, TrainingHooks hooks, ITrainingProgress progress,
        TrainingLog log, double secondsBefore, long? stopAfter = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        double Seconds() => secondsBefore + clock.Elapsed.TotalSeconds;
        progress.Started(what, lastDone + 1, options.Steps);
        long step = lastDone;
        bool checkpointed = true;
        long end = stopAfter is { } stop ? Math.Min(stop, options.Steps) : options.Steps;
        while (step < end)
        {
            if (cancel.IsCancellationRequested)
            {
                progress.Message($"stopped at step {step}; the next run resumes from there");
                break;
            }
            step++;
            var losses = hooks.Step(step);
            checkpointed = false;
            if (step % options.LogEvery == 0 || step == options.Steps) log.Append(step, Seconds(), losses);
            progress.Step(step, options.Steps, losses);
            bool last = step == end;
            if (hooks.Evaluate is not null && (Every(step, options.EvalEvery) || step == options.Steps)) hooks.Evaluate(step, Seconds());
            if (hooks.Sample is not null && (Every(step, options.SampleEvery) || step == options.Steps)) hooks.Sample(step);
            if (Every(step, options.CheckpointEvery) || last)
            {
                hooks.Checkpoint(step, Seconds());
                checkpointed = true;
            }
        }
        if (!checkpointed || step == lastDone) hooks.Checkpoint(step, Seconds());
        return step;
    }

    static bool Every(long step, int every) => every > 0 && step % every == 0;
}
