using System.Globalization;
using System.Text.Json.Nodes;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Networks.StyleGan2;
using Pipeline.Editing.Training;
using TorchSharp;
using static TorchSharp.torch;
using OptimizerHelper = TorchSharp.Modules.OptimizerHelper;
using Pipeline.Editing.Runtime;

namespace Pipeline.World.Training;

/// <summary>
/// Trains the demo prior's generator as a conditional renderer with known latents: x̂ = G(A·f + b), the StyleGAN2
/// synthesis and the factor map (A, b) together, by regression onto the rendered scene (L1 + MSE), on fresh
/// <c>train</c>-split scenes every step. The mapping network is kept in the official layout but unused (codes are W+),
/// and the noise strengths stay at zero: the renders are a function of f alone, so noise would only teach blur.
/// Resumable and seeded: a resumed run draws the scenes and repeats the loss curve of an uninterrupted one.
/// </summary>
public sealed class RendererTrainer : IDisposable
{
    /// <summary>Floor of the scene's feature energy that the feature loss is relative to.</summary>
    static readonly Scalar MinFeatureEnergy = 1e-8;

    public const string Command = "train prior";
    const string PspModule = "psp", MapModule = "factor_map", OptimizerName = "adam";

    readonly Psp _psp;
    readonly FactorMap _map;
    readonly EncoderEntry _entry;
    readonly PriorRecipe _recipe;
    readonly TrainingOptions _training;
    readonly SceneBatches _scenes;
    readonly OptimizerHelper _optimizer;
    readonly CosineWarmRestarts _schedule;
    readonly AttributeClassifier? _classifier;
    SceneBatch? _heldOut;

    /// <param name="classifier">the world classifier: with it, the held-out evaluation also reports how many
    /// attributes of the renders it reads as the scene's, and <see cref="PriorRecipe.FeatureWeight"/> &gt; 0 adds the
    /// distance between its features of the render and of the scene to the loss</param>
    public RendererTrainer(EncoderEntry entry, PriorRecipe recipe, TrainingOptions training, AttributeClassifier? classifier = null)
    {
        if (recipe.FeatureWeight > 0 && classifier is null) throw new ArgumentException("the feature term needs the world classifier (--classifier)");
        _classifier = classifier;
        if (classifier is not null)
        {
            classifier.eval();
            foreach (var p in classifier.parameters()) p.requires_grad = false;
        }
        training.Validate();
        _entry = entry;
        _recipe = recipe;
        _training = training;
        manual_seed(training.Seed);
        var config = PriorNetworks.PspConfigOf(entry);
        _psp = new Psp(config);
        _map = PriorNetworks.NewFactorMap(config, training.Seed);
        _scenes = new SceneBatches(recipe.WorldSeed, config.OutputSize, sceneCount: recipe.SceneCount);
        foreach (var (name, p) in _psp.named_parameters()) p.requires_grad = IsTrained(name);
        var parameters = _psp.parameters().Where(p => p.requires_grad).Concat(_map.parameters()).ToList();
        _optimizer = optim.Adam(parameters, training.LearningRate, training.Beta1, training.Beta2);
        _schedule = training.Schedule;
    }

    /// <summary>The synthesis is trained; the encoder, the unused mapping MLP and the noise strengths are not.</summary>
    static bool IsTrained(string name) =>
        name.StartsWith("decoder.", StringComparison.Ordinal) && !name.StartsWith("decoder.style.", StringComparison.Ordinal) && !name.EndsWith(".noise.weight", StringComparison.Ordinal);

    public Psp Psp => _psp;
    public FactorMap Map => _map;

    /// <summary>Trains to <see cref="TrainingOptions.Steps"/> (or <paramref name="stopAfter"/> / cancellation), then writes the prior folder.</summary>
    public TrainingOutcome Run(ITrainingProgress progress, long? stopAfter = null, CancellationToken cancel = default)
    {
        var modules = new Dictionary<string, nn.Module> { [PspModule] = _psp, [MapModule] = _map };
        var optimizers = new Dictionary<string, OptimizerHelper> { [OptimizerName] = _optimizer };
        var log = new TrainingLog(Path.Combine(_training.OutDir, TrainingOutputs.LogFile));
        var evalLog = new TrainingLog(Path.Combine(_training.OutDir, TrainingOutputs.EvalLogFile));
        // A sitting may run with another recipe (the feature term from some step on): the history keeps each.
        var sitting = TrainingSitting.Start(_training, Command, modules, optimizers, SittingRecipe(), progress);
        long done = sitting.Done;
        double seconds = sitting.Seconds;
        string history = sitting.History;
        log.ResumeAt(done);
        evalLog.ResumeAt(done);
        double heldOut = double.NaN, wallSeconds = seconds;
        var hooks = new TrainingHooks(
            Step: TrainStep,
            Checkpoint: (step, wall) =>
            {
                wallSeconds = wall;
                sitting.SaveCheckpoint(step, wall);
                Export();
            },
            Evaluate: (step, wall) =>
            {
                heldOut = HeldOutPsnr();
                var row = new Dictionary<string, double> { ["heldout_psnr"] = heldOut };
                if (_classifier is not null) row["heldout_attribute_accuracy"] = HeldOutAttributeAccuracy();
                evalLog.Append(step, wall, row);
                progress.Message($"step {step}: held-out PSNR {heldOut:0.00} dB" + (row.TryGetValue("heldout_attribute_accuracy", out var acc) ? $", attributes read right {acc:P1}" : ""));
            },
            Sample: step => TrainingOutputs.SaveSample(_training.OutDir, step, SampleGrid()));
        long last = TrainingLoop.Run(Command, _training, done, hooks, progress, log, seconds, stopAfter, cancel);
        if (double.IsNaN(heldOut)) heldOut = HeldOutPsnr();
        WriteRun(last, heldOut, wallSeconds, history);
        return new TrainingOutcome(last, last >= _training.Steps, wallSeconds, new Dictionary<string, double> { ["heldout_psnr"] = heldOut });
    }

    /// <summary>One optimisation step on fresh scenes; returns the losses, the batch PSNR and the learning rate.</summary>
    public IReadOnlyDictionary<string, double> TrainStep(long step)
    {
        using var scope = NewDisposeScope();
        double lr = _schedule.Apply(_optimizer, step);
        using var batch = _scenes.Train(step, _training.BatchSize, _training.Seed);
        var image = Render(batch.Factors);
        var l1 = (image - batch.Clean).abs().mean();
        var mse = (image - batch.Clean).pow(Scalars.Two).mean();
        using Scalar l1Weight = _recipe.L1Weight, mseWeight = _recipe.MseWeight;
        var loss = (l1 * l1Weight).Plus(mse * mseWeight);
        var losses = new Dictionary<string, double>();
        if (_recipe.FeatureWeight > 0)
        {
            // Small, high-contrast parts (eyes, mouth corners, frames) weigh little in a pixel loss; the classifier's
            // features respond to exactly those.
            Tensor target;
            using (no_grad()) target = _classifier!.Features(batch.Clean);
            // Relative to the scene's feature energy: the classifier's last stage is not normalised.
            var feature = (_classifier.Features(image) - target).pow(Scalars.Two).mean() / target.pow(Scalars.Two).mean().clamp_min(MinFeatureEnergy);
            using Scalar featureWeight = _recipe.FeatureWeight;
            loss = loss.Plus(feature * featureWeight);
            losses["feature"] = feature.item<float>();
        }
        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
        double m = mse.item<float>();
        losses["loss"] = loss.item<float>();
        losses["l1"] = l1.item<float>();
        losses["mse"] = m;
        losses["psnr"] = Psnr(m);
        losses["lr"] = lr;
        return losses;
    }

    /// <summary>G(A·f + b) with the stored (zero-weighted) noise.</summary>
    Tensor Render(Tensor factors) => _psp.Decode(_map.call(factors), NoiseSource.Stored, resize: false);

    /// <summary>Mean PSNR of the held-out scenes' renders (peak-to-peak 2, clamped as images are written).</summary>
    public double HeldOutPsnr()
    {
        var held = HeldOut();
        using var _ = inference_mode();
        var psnr = new List<double>();
        for (long i = 0; i < held.Factors.shape[0]; i += _training.BatchSize)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(_training.BatchSize, held.Factors.shape[0] - i);
            var image = Render(held.Factors.narrow(0, i, n)).clamp(Scalars.MinusOne, Scalars.One);
            var mse = (image - held.Clean.narrow(0, i, n)).pow(Scalars.Two).mean([1, 2, 3]);
            psnr.AddRange(mse.data<float>().ToArray().Select(v => Psnr(v)));
        }
        return psnr.Average();
    }

    /// <summary>Share of (held-out scene, attribute) pairs whose render the world classifier reads as the scene's label.</summary>
    public double HeldOutAttributeAccuracy()
    {
        var held = HeldOut();
        var world = new SyntheticWorld();
        using var _ = inference_mode();
        int right = 0, total = 0;
        for (long i = 0; i < held.Factors.shape[0]; i += _training.BatchSize)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(_training.BatchSize, held.Factors.shape[0] - i);
            var logits = _classifier!.call(Render(held.Factors.narrow(0, i, n)).clamp(Scalars.MinusOne, Scalars.One));
            foreach (var attribute in WorldAttributes.All)
            {
                int c = _classifier.Config.Attributes.IndexOf(attribute.Name);
                int k = SceneFactors.AttributeIndex(attribute.Name);
                var judged = logits[.., c].gt(Scalars.Zero).data<bool>().ToArray();
                var truth = held.Factors.narrow(0, i, n)[.., k].gt(Scalars.Half).data<bool>().ToArray();
                right += judged.Zip(truth).Count(p => p.First == p.Second);
                total += judged.Length;
            }
        }
        return (double)right / total;
    }

    SceneBatch HeldOut() => _heldOut ??= _scenes.HeldOut(_recipe.HeldOutSeed, 0, _recipe.HeldOutCount);

    RgbImage SampleGrid()
    {
        var held = HeldOut();
        using var _ = inference_mode();
        using var scope = NewDisposeScope();
        const int Rows = 6;
        var image = Render(held.Factors[..Rows]);
        var rows = Enumerable.Range(0, Rows).Select(i =>
            ($"held-out {i}", (IReadOnlyList<RgbImage>)new[] { RgbImage.FromTensor(held.Clean[i]), RgbImage.FromTensor(image[i]) })).ToList();
        return Pipeline.Editing.Imaging.ContactSheet.Render(new[] { "scene", "G(A·f + b)" }, rows, new Pipeline.Editing.Imaging.ContactSheet.Options(TileSize: 128));
    }

    /// <summary>psp.pt (untrained encoder, latent_avg = the mean scene's code), factor_map.pt and encoder.json.</summary>
    public void Export()
    {
        using (var avg = PriorNetworks.MeanCode(_map, _recipe.WorldSeed, 4096)) _psp.SetLatentAvg(avg);
        PriorNetworks.Save(_training.OutDir, _psp, _map, _entry);
    }

    /// <summary>What a sitting trained with (the loss terms; the optimiser and schedule are fixed by the options).</summary>
    string SittingRecipe() => string.Create(CultureInfo.InvariantCulture,
        $"l1={_recipe.L1Weight} mse={_recipe.MseWeight} feature={_recipe.FeatureWeight}");

    void WriteRun(long last, double heldOut, double wallSeconds, string history) => TrainingOutputs.WriteRun(_training.OutDir, new JsonObject
    {
        ["command"] = Command,
        ["recipe"] = "conditional renderer: x̂ = G(A·f + b), synthesis and factor map trained together, L1 + MSE against the rendered scene",
        ["factors"] = new JsonArray(SceneFactors.Names.Select(n => (JsonNode)n).ToArray()),
        ["world_seed"] = _recipe.WorldSeed,
        ["heldout_seed"] = _recipe.HeldOutSeed,
        ["heldout_count"] = _recipe.HeldOutCount,
        ["sittings"] = history,
        ["options"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(_training.Describe())),
        ["last_step"] = last,
        ["heldout_psnr"] = Math.Round(heldOut, 3),
        ["wall_seconds"] = Math.Round(wallSeconds, 1),
    });

    public static double Psnr(double mse) => 10 * Math.Log10(4.0 / Math.Max(mse, 1e-12));

    public void Dispose()
    {
        _heldOut?.Dispose();
        _optimizer.Dispose();
        _map.Dispose();
        _psp.Dispose();
    }
}
