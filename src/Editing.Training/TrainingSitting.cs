using System.Globalization;
using OptimizerHelper = TorchSharp.Modules.OptimizerHelper;
using static TorchSharp.torch;

namespace Pipeline.Editing.Training;

/// <summary>
/// One sitting of a resumable training run: where it starts (the checkpoint's step and wall seconds, or 0), the recipe
/// history it carries (<see cref="SittingHistory"/>), and the checkpoint it saves with the seed, batch and history.
/// </summary>
public sealed class TrainingSitting
{
    readonly TrainingOptions _training;
    readonly string _command;
    readonly Dictionary<string, nn.Module> _modules;
    readonly Dictionary<string, OptimizerHelper> _optimizers;

    public long Done { get; }
    public double Seconds { get; }
    public string History { get; }

    TrainingSitting(TrainingOptions training, string command, Dictionary<string, nn.Module> modules, Dictionary<string, OptimizerHelper> optimizers, long done, double seconds, string history)
    {
        (_training, _command, _modules, _optimizers) = (training, command, modules, optimizers);
        (Done, Seconds, History) = (done, seconds, history);
    }

    /// <summary>Loads the checkpoint of <paramref name="command"/> when resuming and appends this sitting's <paramref name="recipe"/>.</summary>
    public static TrainingSitting Start(TrainingOptions training, string command, Dictionary<string, nn.Module> modules, Dictionary<string, OptimizerHelper> optimizers, string recipe, ITrainingProgress progress)
    {
        long done = 0;
        double seconds = 0;
        string history = "";
        if (training.Resume && TrainingCheckpoint.TryLoad(training.OutDir, modules, optimizers) is { } state)
        {
            if (state.Command != command) throw new InvalidDataException($"{training.OutDir} holds a '{state.Command}' checkpoint, not '{command}'");
            done = state.Step;
            seconds = double.Parse(state.Extra.GetValueOrDefault("seconds", "0"), CultureInfo.InvariantCulture);
            history = state.Extra.GetValueOrDefault(SittingHistory.Key, "");
            progress.Message($"resuming from step {done}");
            foreach (var warning in TrainingOutputs.ResumeMismatches(state, training)) progress.Message("warning: " + warning);
        }
        string extended = SittingHistory.Extend(history, done, recipe);
        if (extended != history && done > 0) progress.Message($"from step {done}: {recipe}");
        return new TrainingSitting(training, command, modules, optimizers, done, seconds, extended);
    }

    public void SaveCheckpoint(long step, double wallSeconds) =>
        TrainingCheckpoint.Save(_training.OutDir, step, _command, _modules, _optimizers, new()
        {
            ["seconds"] = wallSeconds.ToString("R", CultureInfo.InvariantCulture),
            ["seed"] = _training.Seed.ToString(CultureInfo.InvariantCulture),
            ["batch"] = _training.BatchSize.ToString(CultureInfo.InvariantCulture),
            [SittingHistory.Key] = History,
        });
}
