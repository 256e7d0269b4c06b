using System.Globalization;
using System.Text.Json.Nodes;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Deghosting;
using Pipeline.Editing.Networks.Discriminator;
using Pipeline.Editing.Networks.Losses;
using Pipeline.Editing.Networks.Vgg;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using OptimizerHelper = TorchSharp.Modules.OptimizerHelper;
using Pipeline.Editing.Runtime;

namespace Pipeline.Editing.Training;

/// <summary>What a deghosting run ended with.</summary>
public sealed record DeghostRunResult(long LastStep, IReadOnlyList<IReadOnlyDictionary<string, double>> Losses, double? EvalPsnr,
    string DeghostingPath, string DeghostingSha256, string DiscriminatorPath);

/// <summary>
/// Trains the deghosting network (official <c>train_deghosting.py</c>) on a ghost set: lq area-resized to
/// the input size, gt to the output size. Per step, in the reference's order: G forward → L_G = w_pixel·MSE +
/// w_perceptual·MSE(VGG16 conv4_3) + w_gan·BCE(D(out), 1) → G step; then L_D = BCE(D(gt), 1) + BCE(D(out.detach()), 0) →
/// D step. The StyleGAN2 inside stays frozen. Adam for both nets with cosine warm restarts; resumable exactly.
/// </summary>
public sealed class DeghostTrainer : IDisposable
{
    public const string Command = "train deghost";
    public const string DeghostingModule = "deghosting";
    public const string DiscriminatorModule = "discriminator";
    public const string DiscriminatorFile = "discriminator.pt";
    const string GeneratorOptimizer = "adam_g";
    const string DiscriminatorOptimizer = "adam_d";

    readonly EditModels _models;
    readonly DeghostTrainingOptions _options;
    readonly TrainingOptions _training;
    readonly DeghostLossWeights _weights;
    readonly GhostPairs _pairs;
    readonly int[] _trainItems;
    readonly BatchOrder _order;
    readonly PerceptualLoss? _perceptual;
    readonly GanLoss _gan;
    readonly OptimizerHelper _optimizerG;
    readonly OptimizerHelper _optimizerD;
    readonly CosineWarmRestarts _schedule;
    readonly JsonObject _run;

    public DeghostTrainer(EditModels models, DeghostTrainingOptions options)
    {
        options.Training.Validate();
        _models = models;
        _options = options;
        _training = options.Training;
        _weights = options.Weights;
        _weights.Validate();
        _pairs = new GhostPairs(options.DataDir);
        if (options.EvalCount < 0 || _pairs.Count < options.EvalCount + _training.BatchSize)
            throw new ArgumentException($"{options.DataDir} holds {_pairs.Count} pair(s): {options.EvalCount} are held out and a batch needs {_training.BatchSize} more");
        _trainItems = Enumerable.Range(options.EvalCount, _pairs.Count - options.EvalCount).ToArray();
        _order = new BatchOrder(_trainItems.Length, _training.BatchSize, options.Shuffle, _training.Seed);
        Directory.CreateDirectory(_training.OutDir);

        string perceptual;
        if (_weights.Perceptual == 0)
            perceptual = "off (weight 0)";
        else if (options.Vgg is { } vgg)
        {
            _perceptual = new PerceptualLoss(PerceptualLossConfig.Official with { PerceptualWeight = _weights.Perceptual });
            VggWeights.Load(_perceptual, vgg);
            _perceptual.eval();
            perceptual = $"VGG16 conv4_3 MSE × {_weights.Perceptual}, weights {vgg} (sha256 {FileHash.Sha256(vgg)})";
        }
        else
        {
            perceptual = $"DISABLED: no --vgg weights were given (ImageNet VGG16 is not bundled), so the preset's weight {_weights.Perceptual} was replaced by 0";
            _weights = _weights with { Perceptual = 0 };
        }
        PerceptualStatus = perceptual;
        _gan = new GanLoss(_weights.Gan);

        (Network, var networkInit) = DeghostInit.Network(models, options);
        (Discriminator, var discInit) = DeghostInit.Discriminator(models, options);
        _optimizerG = optim.Adam(Network.parameters().Where(p => p.requires_grad), _training.LearningRate, _training.Beta1, _training.Beta2);
        _optimizerD = optim.Adam(Discriminator.parameters(), _training.LearningRate, _training.Beta1, _training.Beta2);
        _schedule = _training.Schedule;
        _run = Describe(networkInit, discInit);
    }

    public DeghostNetwork Network { get; }
    public StyleGan2Discriminator Discriminator { get; }

    /// <summary>How the perceptual term is computed, or why it is off (also in run.json).</summary>
    public string PerceptualStatus { get; }

    /// <summary>The weights in effect (the perceptual weight is 0 when no VGG weights were given).</summary>
    public DeghostLossWeights Weights => _weights;

    /// <summary>Whether the adversarial term is on; at weight 0 the discriminator is neither run nor trained (a pure
    /// regression run).</summary>
    bool Adversarial => _weights.Gan != 0;

    public string DeghostingPath => Path.Combine(_training.OutDir, ModelPackWriter.DeghostingFile);
    public string DiscriminatorPath => Path.Combine(_training.OutDir, DiscriminatorFile);

    public DeghostRunResult Run(ITrainingProgress progress, long? stopAfter = null, CancellationToken cancel = default)
    {
        var modules = new Dictionary<string, nn.Module> { [DeghostingModule] = Network, [DiscriminatorModule] = Discriminator };
        var optimizers = new Dictionary<string, OptimizerHelper> { [GeneratorOptimizer] = _optimizerG, [DiscriminatorOptimizer] = _optimizerD };
        var layouts = new Dictionary<string, IKeyLayout> { [DeghostingModule] = new DeghostingKeyLayout() };
        var log = new TrainingLog(Path.Combine(_training.OutDir, TrainingOutputs.LogFile));
        var evalLog = new TrainingLog(Path.Combine(_training.OutDir, TrainingOutputs.EvalLogFile));
        long done = 0;
        double seconds = 0;
        if (_training.Resume && TrainingCheckpoint.TryLoad(_training.OutDir, modules, optimizers, layouts) is { } state)
        {
            if (state.Command != Command) throw new InvalidDataException($"{_training.OutDir} holds a '{state.Command}' checkpoint, not '{Command}'");
            done = state.Step;
            seconds = state.Extra.TryGetValue("seconds", out var s) ? double.Parse(s, CultureInfo.InvariantCulture) : 0;
            progress.Message($"resuming from step {done} ({TrainingCheckpoint.LatestDir}/ in {_training.OutDir})");
            foreach (var warning in TrainingOutputs.ResumeMismatches(state, _training)) progress.Message("warning: " + warning);
        }
        log.ResumeAt(done);
        evalLog.ResumeAt(done);
        progress.Message("perceptual term: " + PerceptualStatus);
        TrainingOutputs.WriteRun(_training.OutDir, _run);

        var losses = new List<IReadOnlyDictionary<string, double>>();
        double? psnr = null;
        var hooks = new TrainingHooks(
            Step: step =>
            {
                var l = TrainStep(step);
                losses.Add(l);
                return l;
            },
            Checkpoint: (step, wall) => SaveCheckpoint(step, wall, modules, optimizers, layouts),
            Evaluate: _options.EvalCount > 0 ? (step, wall) =>
            {
                var (mse, p) = Evaluate();
                psnr = p;
                evalLog.Append(step, wall, new Dictionary<string, double> { ["mse"] = mse, ["psnr"] = p });
                progress.Message($"step {step}: held-out PSNR {p:0.00} dB (MSE {mse:0.######})");
            } : null,
            Sample: _options.SampleCount > 0 ? step => TrainingOutputs.SaveSample(_training.OutDir, step, SampleGrid()) : null);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long last = TrainingLoop.Run(Command, _training, done, hooks, progress, log, seconds, stopAfter, cancel);
        psnr ??= evalLog.LastValueAt(last, "psnr");

        var sha = FileHash.Sha256(DeghostingPath);
        _run["last_step"] = last;
        _run["wall_seconds"] = Math.Round(seconds + clock.Elapsed.TotalSeconds, 1);
        if (losses.Count > 0) _run["last_losses"] = new JsonObject(losses[^1].Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        if (psnr is { } v) _run["eval_psnr"] = v;
        _run["deghosting_sha256"] = sha;
        TrainingOutputs.WriteRun(_training.OutDir, _run);
        return new DeghostRunResult(last, losses, psnr, DeghostingPath, sha, DiscriminatorPath);
    }

    /// <summary>One G step then one D step, in the reference's order; returns every loss term and the learning rate.</summary>
    public IReadOnlyDictionary<string, double> TrainStep(long step)
    {
        using var scope = NewDisposeScope();
        double lr = _schedule.Apply(_optimizerG, step);
        _schedule.Apply(_optimizerD, step);
        var items = _order.At(step).Select(i => _trainItems[i]).ToArray();
        var (lq, gt) = Batch(items);                                           // [B,3,in,in], [B,3,out,out]
        Network.train();
        Discriminator.train();

        // Generator: D's parameters take no gradient from L_G (the reference zeroes them before D's step anyway).
        RequireGrad(Discriminator, false);
        var output = Network.call(lq);                                         // [B,3,out,out]
        using Scalar pixelWeight = _weights.Pixel;
        var pixel = F.mse_loss(output, gt) * pixelWeight;
        var perceptual = _perceptual is null ? zeros(1).squeeze() : _perceptual.call(output, gt);
        var ganG = Adversarial ? _gan.Generator(Discriminator.call(output)) : zeros(1).squeeze();
        var lossG = pixel.Plus(perceptual).Plus(ganG);
        _optimizerG.zero_grad();
        lossG.backward();
        _optimizerG.step();

        // Discriminator on the real target and the detached output.
        var lossD = zeros(1).squeeze();
        if (Adversarial)
        {
            RequireGrad(Discriminator, true);
            lossD = _gan.Discriminator(Discriminator.call(gt), Discriminator.call(output.detach()));
            _optimizerD.zero_grad();
            lossD.backward();
            _optimizerD.step();
        }

        return new Dictionary<string, double>
        {
            ["loss_g"] = lossG.item<float>(), ["pixel"] = pixel.item<float>(), ["perceptual"] = perceptual.item<float>(),
            ["gan_g"] = ganG.item<float>(), ["loss_d"] = lossD.item<float>(), ["lr"] = lr,
        };
    }

    /// <summary>Held-out MSE and PSNR (images in [−1,1] mapped to [0,1]).</summary>
    public (double Mse, double Psnr) Evaluate()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Network.eval();
        try
        {
            double sum = 0;
            var held = Enumerable.Range(0, _options.EvalCount).ToArray();
            foreach (var chunk in held.Chunk(_training.BatchSize))
            {
                var (lq, gt) = Batch(chunk);
                var out01 = Network.call(lq).clamp(Scalars.MinusOne, Scalars.One).Plus(Scalars.One) / Scalars.Two;
                sum += F.mse_loss(out01, gt.Plus(Scalars.One) / Scalars.Two, reduction: nn.Reduction.Sum).item<float>() / gt[0].numel();
            }
            double mse = sum / held.Length;
            return (mse, 10 * Math.Log10(1 / Math.Max(mse, 1e-12)));
        }
        finally
        {
            Network.train();
        }
    }

    /// <summary>Rows of (input | output | target) for the first pairs.</summary>
    public RgbImage SampleGrid()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var items = Enumerable.Range(0, Math.Min(_options.SampleCount, _pairs.Count)).ToArray();
        var (lq, gt) = Batch(items);
        Network.eval();
        try
        {
            var output = Network.call(lq);
            var rows = items.Select((item, i) => (_pairs.Names[item], (IReadOnlyList<RgbImage>)new[]
            {
                RgbImage.FromTensor(lq[i]), RgbImage.FromTensor(output[i]), RgbImage.FromTensor(gt[i]),
            })).ToList();
            return ContactSheet.Render(new[] { "input (composite)", "deghosted", "target" }, rows,
                new ContactSheet.Options(TileSize: DaTrainer.SampleTile(Network.Config.OutSize)));
        }
        finally
        {
            Network.train();
        }
    }

    (Tensor Lq, Tensor Gt) Batch(int[] items) =>
        (TrainingImages.LoadBatch(items.Select(i => _pairs.LowQuality[i]), Network.Config.InSize),
         TrainingImages.LoadBatch(items.Select(i => _pairs.Targets[i]), Network.Config.OutSize));

    static void RequireGrad(nn.Module module, bool value)
    {
        foreach (var p in module.parameters()) p.requires_grad = value;
    }

    /// <summary>Where a pack records each run that trained its own Deghosting further (<c>--init pack</c>), in order.</summary>
    public const string FineTuneKey = "deghosting_fine_tune";

    /// <summary>
    /// Puts the trained <c>deghosting.pt</c> into the model pack and refreshes the manifest's hashes, recording this run
    /// under <c>training.deghost</c>, or, when it trained the pack's own Deghosting further, appended to
    /// <c>training.deghosting_fine_tune</c> so the record of every earlier run stays.
    /// </summary>
    public ModelPackManifest UpdatePack()
    {
        bool furtherTrained = _options.Init == DiffCamInit.Pack;
        return TrainingOutputs.UpdatePack(_models.Directory, _models.Manifest, _models.Manifest.Deghosting.File, DeghostingPath,
            furtherTrained ? FineTuneKey : "deghost", _run, append: furtherTrained);
    }

    void SaveCheckpoint(long step, double seconds, Dictionary<string, nn.Module> modules, Dictionary<string, OptimizerHelper> optimizers,
        Dictionary<string, IKeyLayout> layouts)
    {
        var extra = new Dictionary<string, string>
        {
            ["seconds"] = seconds.ToString("R", CultureInfo.InvariantCulture),
            ["seed"] = _training.Seed.ToString(CultureInfo.InvariantCulture),
            ["batch"] = _training.BatchSize.ToString(CultureInfo.InvariantCulture),
        };
        TrainingCheckpoint.Save(_training.OutDir, step, Command, modules, optimizers, extra, layouts);
        TrainingOutputs.WriteAtomically(DeghostingPath, tmp => ModelPackWriter.SaveDeghosting(tmp, Network));
        TrainingOutputs.WriteAtomically(DiscriminatorPath, tmp => TorchSaveWriter.Write(tmp, ModuleState.ToStateDict(Discriminator)));
    }

    JsonObject Describe(string networkInit, string discriminatorInit) => new()
    {
        ["command"] = Command,
        ["models"] = _models.Directory,
        ["pack_sha256"] = new JsonObject(_models.FileHashes.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        ["data"] = _options.DataDir,
        ["pairs"] = _pairs.Count,
        ["eval_count"] = _options.EvalCount,
        ["preset"] = _options.Preset.ToString().ToLowerInvariant(),
        ["weights"] = new JsonObject { ["pixel"] = _weights.Pixel, ["perceptual"] = _weights.Perceptual, ["gan"] = _weights.Gan },
        ["perceptual"] = PerceptualStatus,
        ["init"] = networkInit,
        ["discriminator"] = new JsonObject
        {
            ["init"] = discriminatorInit,
            ["in_size"] = Discriminator.Config.InSize,
            ["channels"] = new JsonObject(Enumerable.Range(2, Discriminator.Config.LogSize - 1).Select(l => 1 << l)
                .Select(r => KeyValuePair.Create(r.ToString(CultureInfo.InvariantCulture), (JsonNode?)Discriminator.Config.ChannelsAt(r)))),
        },
        ["shuffle"] = _options.Shuffle,
        ["options"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(_training.Describe())),
        ["step_order"] = Adversarial
            ? "G forward, L_G, G step; D(gt), D(out.detach()), L_D, D step"
            : "G forward, L_G, G step (adversarial weight 0: no discriminator is run or trained)",
    };

    public void Dispose()
    {
        _optimizerG.Dispose();
        _optimizerD.Dispose();
        _perceptual?.Dispose();
        Network.Dispose();
        Discriminator.Dispose();
    }
}
