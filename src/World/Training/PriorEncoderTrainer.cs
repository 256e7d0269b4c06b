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
/// Trains the demo prior's pSp encoder against the frozen renderer: E(x) + latent_avg should be the clean face's code
/// A·f + b (squared error per W+ coordinate) and G(E(x) + latent_avg) the clean face (L1 + MSE). A share of the scenes
/// is drawn with out-of-domain occluders and backgrounds while both targets stay the clean scene's, so that, like a face
/// encoder trained on photos, it lands on a plausible face behind a hand. Generator and factor map never change, so the
/// factor map's columns stay exact edit directions. With e4e's forward (the same weights, so a pSp encoder can start
/// it), e4e's delta regulariser is added. Resumable and seeded like <see cref="RendererTrainer"/>.
/// </summary>
public sealed class PriorEncoderTrainer : IDisposable
{
    public const string Command = "train encoder";
    const string EncoderModule = "encoder", OptimizerName = "adam", HeadOptimizerName = "adam_heads";

    readonly Psp _psp;
    readonly FactorMap _map;
    readonly EncoderEntry _entry;
    readonly PriorRecipe _recipe;
    readonly TrainingOptions _training;
    readonly SceneBatches _scenes;
    readonly OptimizerHelper _optimizer, _headOptimizer;
    readonly CosineWarmRestarts _schedule;
    readonly string _priorDir;
    SceneBatch? _heldIn, _heldOod;

    public PriorEncoderTrainer(string priorDir, PriorRecipe recipe, TrainingOptions training, EncoderType? encoderType = null)
    {
        training.Validate();
        if (recipe.OodFraction is < 0 or > 1) throw new ArgumentException($"--ood-fraction must lie in [0,1], got {recipe.OodFraction}");
        _priorDir = priorDir;
        _recipe = recipe;
        _training = training;
        if (!(recipe.DeltaWeight >= 0)) throw new ArgumentException($"--delta-weight must be ≥ 0, got {recipe.DeltaWeight}");
        (_psp, _map, _entry) = PriorNetworks.Load(priorDir, encoderType);
        _scenes = new SceneBatches(recipe.WorldSeed, _psp.Config.OutputSize, recipe.OodFraction, recipe.SceneCount);
        foreach (var p in _psp.Decoder.parameters()) p.requires_grad = false;
        foreach (var p in _map.parameters()) p.requires_grad = false;
        // The style heads' output layers are equalised linear layers (weights stored at unit scale, multiplied by
        // 1/√in at run time), so Adam moves their effective weights √in times slower than a plain layer's. The codes
        // must grow from the untrained encoder's near-constant output to the factors' spread: those layers learn at
        // HeadLearningRateMultiplier times the rate, the rest of the encoder at the base rate.
        var heads = _psp.Encoder.named_parameters().Where(p => IsHeadOutput(p.name)).Select(p => p.parameter).ToList();
        var body = _psp.Encoder.named_parameters().Where(p => !IsHeadOutput(p.name)).Select(p => p.parameter).ToList();
        _optimizer = optim.Adam(body, training.LearningRate, training.Beta1, training.Beta2);
        _headOptimizer = optim.Adam(heads, training.LearningRate * recipe.HeadLearningRateMultiplier, training.Beta1, training.Beta2);
        _schedule = training.Schedule;
    }

    public Psp Psp => _psp;

    bool IsE4e => _psp.Config.EncoderType == EncoderType.Encoder4Editing;

    static bool IsHeadOutput(string name) => name.StartsWith("styles.", StringComparison.Ordinal) && name.Contains(".linear.", StringComparison.Ordinal);

    public TrainingOutcome Run(ITrainingProgress progress, long? stopAfter = null, CancellationToken cancel = default)
    {
        var modules = new Dictionary<string, nn.Module> { [EncoderModule] = _psp.Encoder };
        var optimizers = new Dictionary<string, OptimizerHelper> { [OptimizerName] = _optimizer, [HeadOptimizerName] = _headOptimizer };
        var log = new TrainingLog(Path.Combine(_training.OutDir, TrainingOutputs.LogFile));
        var evalLog = new TrainingLog(Path.Combine(_training.OutDir, TrainingOutputs.EvalLogFile));
        // A sitting may train against a later export of the prior: the history keeps each one's factor map.
        var sitting = TrainingSitting.Start(_training, Command, modules, optimizers, SittingRecipe(), progress);
        long done = sitting.Done;
        double seconds = sitting.Seconds;
        string history = sitting.History;
        log.ResumeAt(done);
        evalLog.ResumeAt(done);
        IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double>();
        double wallSeconds = seconds;
        var hooks = new TrainingHooks(
            Step: TrainStep,
            Checkpoint: (step, wall) =>
            {
                wallSeconds = wall;
                sitting.SaveCheckpoint(step, wall);
                PriorNetworks.Save(_training.OutDir, _psp, _map, _entry);
            },
            Evaluate: (step, wall) =>
            {
                metrics = Evaluate();
                evalLog.Append(step, wall, metrics);
                progress.Message($"step {step}: held-out PSNR {metrics["heldout_psnr"]:0.00} dB in domain, {metrics["heldout_ood_psnr"]:0.00} dB ood vs the clean face; code error {metrics["heldout_code_mse"]:0.#####}");
            },
            Sample: step => TrainingOutputs.SaveSample(_training.OutDir, step, SampleGrid()));
        _psp.Encoder.train();
        long last = TrainingLoop.Run(Command, _training, done, hooks, progress, log, seconds, stopAfter, cancel);
        if (metrics.Count == 0) metrics = Evaluate();
        TrainingOutputs.WriteRun(_training.OutDir, new JsonObject
        {
            ["command"] = Command,
            ["prior"] = _priorDir,
            ["encoder_type"] = _psp.Config.EncoderType.ToString(),
            ["recipe"] = (IsE4e ? $"e4e forward, delta regulariser weight {_recipe.DeltaWeight.ToString(CultureInfo.InvariantCulture)}; " : "") + "pSp encoder against the frozen renderer: latent_weight·|E(x) + latent_avg − (A·f + b)|² + L1 + MSE of G(E(x) + latent_avg) against the clean scene; a share of the scenes with ood occluders and backgrounds, targets always the clean scene's",
            ["sittings"] = history,
            ["world_seed"] = _recipe.WorldSeed,
            ["heldout_seed"] = _recipe.HeldOutSeed,
            ["heldout_count"] = _recipe.HeldOutCount,
            ["options"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(_training.Describe())),
            ["last_step"] = last,
            ["metrics"] = new JsonObject(metrics.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Math.Round(kv.Value, 5)))),
            ["wall_seconds"] = Math.Round(wallSeconds, 1),
        });
        return new TrainingOutcome(last, last >= _training.Steps, wallSeconds, metrics);
    }

    /// <summary>The prior a sitting trains against (its factor map's hash) and the loss weights.</summary>
    string SittingRecipe() => string.Create(CultureInfo.InvariantCulture,
        $"prior factor_map sha256 {FileHash.Sha256(Path.Combine(_priorDir, PriorNetworks.FactorMapFile))[..12]}, latent={_recipe.LatentWeight} l1={_recipe.L1Weight} mse={_recipe.MseWeight} head_lr×{_recipe.HeadLearningRateMultiplier} ood={_recipe.OodFraction}{(IsE4e ? $", e4e delta={_recipe.DeltaWeight}" : "")}");

    public IReadOnlyDictionary<string, double> TrainStep(long step)
    {
        using var scope = NewDisposeScope();
        double lr = _schedule.Apply(_optimizer, step);
        foreach (var group in _headOptimizer.ParamGroups) group.LearningRate = lr * _recipe.HeadLearningRateMultiplier;
        using var batch = _scenes.Train(step, _training.BatchSize, _training.Seed);
        Tensor target;
        using (no_grad()) target = _map.call(batch.Factors);
        _psp.Encoder.train();
        _psp.Decoder.train();   // the frozen synthesis backpropagates to the codes in its batched form
        var codes = _psp.Encode(Input(batch));
        var image = _psp.Decode(codes, NoiseSource.Stored, resize: false);
        var latent = (codes - target).pow(Scalars.Two).mean();
        var l1 = (image - batch.Clean).abs().mean();
        var mse = (image - batch.Clean).pow(Scalars.Two).mean();
        using Scalar latentWeight = _recipe.LatentWeight, l1Weight = _recipe.L1Weight, mseWeight = _recipe.MseWeight;
        var loss = (latent * latentWeight).Plus(l1 * l1Weight).Plus(mse * mseWeight);
        var delta = IsE4e ? Encoder4Editing.DeltaNorm(codes) : null;
        if (delta is not null)
        {
            using Scalar deltaWeight = _recipe.DeltaWeight;
            loss = loss.Plus(delta * deltaWeight);
        }
        _optimizer.zero_grad();
        _headOptimizer.zero_grad();
        loss.backward();
        _optimizer.step();
        _headOptimizer.step();
        double m = mse.item<float>();
        var metrics = new Dictionary<string, double>
        {
            ["loss"] = loss.item<float>(), ["latent"] = latent.item<float>(), ["l1"] = l1.item<float>(), ["mse"] = m,
            ["psnr"] = RendererTrainer.Psnr(m), ["lr"] = lr,
        };
        if (delta is not null) metrics["delta"] = delta.item<float>();
        return metrics;
    }

    Tensor Input(SceneBatch batch) => Composition.AreaDownsample(batch.Input, _psp.Config.InputSize);

    /// <summary>Held-out in-domain PSNR of the inversion, ood PSNR against the clean face behind the occluders, and the codes' squared error.</summary>
    public IReadOnlyDictionary<string, double> Evaluate()
    {
        _heldIn ??= _scenes.HeldOut(_recipe.HeldOutSeed, 0, _recipe.HeldOutCount);
        _heldOod ??= _scenes.HeldOut(_recipe.HeldOutSeed, 0, _recipe.HeldOutCount, ood: true);
        _psp.eval();
        try
        {
            var (inPsnr, inCode) = Score(_heldIn);
            var (oodPsnr, oodCode) = Score(_heldOod);
            return new Dictionary<string, double>
            {
                ["heldout_psnr"] = inPsnr, ["heldout_ood_psnr"] = oodPsnr, ["heldout_code_mse"] = inCode, ["heldout_ood_code_mse"] = oodCode,
            };
        }
        finally
        {
            _psp.Encoder.train();
        }
    }

    (double Psnr, double CodeMse) Score(SceneBatch held)
    {
        using var _ = inference_mode();
        var psnr = new List<double>();
        double code = 0;
        long n = held.Factors.shape[0];
        for (long i = 0; i < n; i += _training.BatchSize)
        {
            using var scope = NewDisposeScope();
            long k = Math.Min(_training.BatchSize, n - i);
            var part = new SceneBatch(held.Input.narrow(0, i, k), held.Clean.narrow(0, i, k), held.Factors.narrow(0, i, k));
            var codes = _psp.Encode(Input(part));
            code += (codes - _map.call(part.Factors)).pow(Scalars.Two).mean([1, 2]).sum().item<float>();
            var image = _psp.Decode(codes, NoiseSource.Stored, resize: false).clamp(Scalars.MinusOne, Scalars.One);
            psnr.AddRange((image - part.Clean).pow(Scalars.Two).mean([1, 2, 3]).data<float>().ToArray().Select(v => RendererTrainer.Psnr(v)));
        }
        return (psnr.Average(), code / n);
    }

    RgbImage SampleGrid()
    {
        _heldOod ??= _scenes.HeldOut(_recipe.HeldOutSeed, 0, _recipe.HeldOutCount, ood: true);
        const int Rows = 6;
        _psp.eval();
        try
        {
            using var _ = inference_mode();
            using var scope = NewDisposeScope();
            var input = _heldOod.Input[..Rows];
            var image = _psp.Decode(_psp.Encode(Composition.AreaDownsample(input, _psp.Config.InputSize)), NoiseSource.Stored, resize: false);
            var rows = Enumerable.Range(0, Rows).Select(i => ($"held-out {i}", (IReadOnlyList<RgbImage>)new[]
            {
                RgbImage.FromTensor(input[i]), RgbImage.FromTensor(_heldOod.Clean[i]), RgbImage.FromTensor(image[i]),
            })).ToList();
            return Pipeline.Editing.Imaging.ContactSheet.Render(new[] { "input (ood)", "clean scene", "G(E(x))" }, rows, new Pipeline.Editing.Imaging.ContactSheet.Options(TileSize: 128));
        }
        finally
        {
            _psp.Encoder.train();
        }
    }

    public void Dispose()
    {
        _heldIn?.Dispose();
        _heldOod?.Dispose();
        _optimizer.Dispose();
        _headOptimizer.Dispose();
        _map.Dispose();
        _psp.Dispose();
    }
}
