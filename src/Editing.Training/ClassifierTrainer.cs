using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Pipeline.Editing.Runtime;

namespace Pipeline.Editing.Training;

/// <summary>Trains the <see cref="AttributeClassifier"/> with multi-label BCE; the last <c>heldOut</c> images measure accuracy.</summary>
public sealed class ClassifierTrainer(AttributeClassifier model, TrainingOptions options, int heldOut = 256)
{
    /// <summary>Checkpoint state key of the wall time over all sittings.</summary>
    public const string WallSecondsKey = "wall_seconds";

    public TrainingOutcome Run(LabelledImageSet data, ITrainingProgress progress, string command, TimeSpan? budget = null)
    {
        var opt = optim.Adam(model.parameters(), options.LearningRate, options.Beta1, options.Beta2);
        var modules = new Dictionary<string, nn.Module> { ["classifier"] = model };
        var optimizers = new Dictionary<string, TorchSharp.Modules.OptimizerHelper> { ["classifier_optim"] = opt };
        long start = 0;
        double wallBefore = 0;
        var log = new TrainingLog(Path.Combine(options.OutDir, "log.csv"));
        if (options.Resume && TrainingCheckpoint.TryLoad(options.OutDir, modules, optimizers) is { } state)
        {
            start = state.Step;
            wallBefore = state.Extra.TryGetValue(WallSecondsKey, out var w) ? double.Parse(w, CultureInfo.InvariantCulture) : 0;
            log.ResumeAt(start);
            progress.Message($"resumed at step {start}");
        }
        var sw = Stopwatch.StartNew();
        double Wall() => wallBefore + sw.Elapsed.TotalSeconds;
        void Save(long s) => TrainingCheckpoint.Save(options.OutDir, s, command, modules, optimizers,
            new() { [WallSecondsKey] = Wall().ToString("R", CultureInfo.InvariantCulture) });

        int trainCount = Math.Max(1, data.Count - heldOut);
        progress.Started("attribute classifier", start, options.Steps);
        long step = start;
        model.train();
        while (step < options.Steps && !(budget is { } b && sw.Elapsed >= b))
        {
            using var scope = NewDisposeScope();
            var (x, y) = data.Batch(options.Seed, step, options.BatchSize, trainCount);
            var loss = F.binary_cross_entropy_with_logits(model.call(x), y);
            opt.zero_grad();
            loss.backward();
            opt.step();
            step++;
            var losses = new Dictionary<string, double> { ["bce"] = loss.item<float>() };
            if (step % options.LogEvery == 0) log.Append(step, Wall(), losses);
            progress.Step(step, options.Steps, losses);
            if (step % options.CheckpointEvery == 0) Save(step);
        }
        Save(step);
        model.eval();
        var metrics = new Dictionary<string, double>();
        var acc = HeldOutAccuracy(data, trainCount);
        for (int a = 0; a < acc.Length; a++) metrics["heldout_accuracy_" + data.AttributeNames[a]] = acc[a];
        return new TrainingOutcome(step, step >= options.Steps, Wall(), metrics);
    }

    /// <summary>Per-attribute accuracy on the held-out tail.</summary>
    double[] HeldOutAccuracy(LabelledImageSet data, int trainCount)
    {
        using var _ = inference_mode();
        using var scope = NewDisposeScope();
        var (x, y) = data.Slice(trainCount, data.Count - trainCount);
        if (x.shape[0] == 0) return new double[data.AttributeNames.Count];
        var correct = (model.call(x).gt(Scalars.Zero).to_type(ScalarType.Float32) == y).to_type(ScalarType.Float32).mean([0]);
        return correct.data<float>().ToArray().Select(v => (double)v).ToArray();
    }
}
