using Pipeline.Editing.Runtime;
using System.Text.Json.Nodes;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.DiffCam;
using Pipeline.Editing.Networks.StyleGan2;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using OptimizerHelper = TorchSharp.Modules.OptimizerHelper;

namespace Pipeline.Editing.Training;

/// <summary>What a DA run ended with.</summary>
public sealed record DaRunResult(long LastStep, IReadOnlyList<double> Losses, double? EvalAccuracy, string DiffCamPath, string DiffCamSha256);

/// <summary>
/// Trains the Differential Activation module (official <c>trainerDA.py</c>). Each step takes W+ codes from
/// the prior, draws a direction k per sample, decodes the inversion G(w) and the edit G(w + α·n_k) with the frozen
/// generator, face-pools both to the DA input and minimises CrossEntropy(DiffCam(cat(inversion, edit)), class_k) with
/// DiffCam in train mode (BatchNorm on batch statistics). Adam and cosine warm restarts as the reference; every random
/// choice comes from (seed, step), so a run resumed from its checkpoint repeats the uninterrupted run exactly.
/// </summary>
public sealed class DaTrainer : IDisposable
{
    public const string Command = "train da";
    public const string DiffCamModule = "diffcam";
    const string OptimizerName = "adam";
    const int DirectionStream = 21;
    const int InversionNoiseStream = 22;
    const int EditNoiseStream = 23;
    const int EvalDirectionStream = 24;
    const int EvalNoiseStream = 25;

    readonly EditModels _models;
    readonly DaTrainingOptions _options;
    readonly TrainingOptions _training;
    readonly IReadOnlyList<LoadedDirection> _directions;
    readonly Tensor _offsets;            // [N,n_latent,512]: α_k·n_k
    readonly long[] _classes;            // DiffCam class of direction k
    readonly ILatentPrior _prior;
    readonly OptimizerHelper _optimizer;
    readonly CosineWarmRestarts _schedule;
    readonly JsonObject _run;
    (Tensor Pairs, long[] Targets, int[] Directions)? _eval;
    readonly int? _newClass;             // the class --add-direction adds; the trunk is frozen then

    public DaTrainer(EditModels models, DaTrainingOptions options)
    {
        options.Training.Validate();
        _models = models;
        _options = options;
        _training = options.Training;
        if (options.Alpha is { } alpha && (!double.IsFinite(alpha) || alpha == 0))
            throw new ArgumentException($"--alpha must be a finite non-zero number, got {alpha}");
        // By default the directions the DA module knows: one whose mask is borrowed or class-agnostic has no class of its own.
        _directions = (options.Directions ?? models.ClassedDirectionNames).Select(models.Direction).ToList();
        if (options.AddDirection is { } added)
        {
            var direction = models.Direction(added);
            if (direction.Mask.Kind == DirectionMaskKind.OwnClass)
                throw new ArgumentException($"--add-direction {added}: the DA module already has class {direction.ClassIndex} for it (its manifest entry has no 'mask')");
            if (options.Init == DiffCamInit.Scratch) throw new ArgumentException("--add-direction extends a trained DA module: use --init pack or a DiffCam file, not scratch");
            _newClass = EditModels.DiffCamConfigOf(models.Manifest).NumClass;
            _directions = _directions.Where(d => d.Direction.Name != added).Append(direction with { ClassIndex = _newClass.Value, MaskSource = null }).ToList();
        }
        if (_directions.Count < 2) throw new ArgumentException($"DA training needs at least two directions to tell apart, got {_directions.Count}");
        var duplicate = _directions.GroupBy(d => d.ClassIndex).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"directions {string.Join(", ", duplicate.Select(d => d.Direction.Name))} share DiffCam class {duplicate.Key}: the classifier cannot tell them apart");
        _classes = _directions.Select(d => (long)d.ClassIndex).ToArray();
        _offsets = Offsets(models, _directions, options.Alpha);

        Directory.CreateDirectory(_training.OutDir);
        _prior = options.DataDir is { } dir
            ? new EncodedImagePrior(models.Psp, dir, options.EvalCount, _training.BatchSize, _training.Seed)
            : new SampledLatentPrior(models.Psp, options.EvalCount, _training.BatchSize, _training.Seed);
        var initial = DiffCamInit.Create(models, options.Init, _training.Seed);
        if (_newClass is not null)
        {
            using (initial) (DiffCam, _) = DaHeadExtension.Grow(initial, _training.Seed);
            _optimizer = optim.Adam(DaHeadExtension.FreezeTrunk(DiffCam), _training.LearningRate, _training.Beta1, _training.Beta2);
        }
        else
        {
            DiffCam = initial;
            _optimizer = optim.Adam(DiffCam.parameters(), _training.LearningRate, _training.Beta1, _training.Beta2);
        }
        TrainMode();
        _schedule = _training.Schedule;
        _run = Describe();
    }

    /// <summary>The network being trained.</summary>
    public DiffCam DiffCam { get; }

    public string DiffCamPath => Path.Combine(_training.OutDir, ModelPackWriter.DiffCamFile);

    /// <summary>
    /// Trains from the latest checkpoint (or the start) to <see cref="TrainingOptions.Steps"/>, or up to
    /// <paramref name="stopAfter"/> / cancellation, checkpointing where it stops; writes <c>diffcam.pt</c> (official layout).
    /// </summary>
    public DaRunResult Run(ITrainingProgress progress, long? stopAfter = null, CancellationToken cancel = default)
    {
        var modules = new Dictionary<string, nn.Module> { [DiffCamModule] = DiffCam };
        var optimizers = new Dictionary<string, OptimizerHelper> { [OptimizerName] = _optimizer };
        var log = new TrainingLog(Path.Combine(_training.OutDir, TrainingOutputs.LogFile));
        var evalLog = new TrainingLog(Path.Combine(_training.OutDir, TrainingOutputs.EvalLogFile));
        long done = 0;
        double seconds = 0;
        if (_training.Resume && TrainingCheckpoint.TryLoad(_training.OutDir, modules, optimizers) is { } state)
        {
            if (state.Command != Command) throw new InvalidDataException($"{_training.OutDir} holds a '{state.Command}' checkpoint, not '{Command}'");
            done = state.Step;
            seconds = state.Extra.TryGetValue("seconds", out var s) ? double.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 0;
            progress.Message($"resuming from step {done} ({TrainingCheckpoint.LatestDir}/ in {_training.OutDir})");
            foreach (var warning in TrainingOutputs.ResumeMismatches(state, _training)) progress.Message("warning: " + warning);
        }
        log.ResumeAt(done);
        evalLog.ResumeAt(done);
        _run["prior"] = _prior.Description;
        TrainingOutputs.WriteRun(_training.OutDir, _run);

        var losses = new List<double>();
        double? accuracy = null;
        var hooks = new TrainingHooks(
            Step: step =>
            {
                var l = TrainStep(step);
                losses.Add(l["loss"]);
                return l;
            },
            Checkpoint: (step, wall) => SaveCheckpoint(step, wall, modules, optimizers),
            Evaluate: _options.EvalCount > 0 ? (step, wall) =>
            {
                var (acc, loss) = Evaluate();
                accuracy = acc;
                evalLog.Append(step, wall, new Dictionary<string, double> { ["accuracy"] = acc, ["loss"] = loss });
                progress.Message($"step {step}: held-out accuracy {acc:P1}, loss {loss:0.####}");
            } : null,
            Sample: _options.EvalCount > 0 && _options.SampleCount > 0 ? step => TrainingOutputs.SaveSample(_training.OutDir, step, SampleGrid()) : null);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long last = TrainingLoop.Run(Command, _training, done, hooks, progress, log, seconds, stopAfter, cancel);
        accuracy ??= evalLog.LastValueAt(last, "accuracy");

        _run["last_step"] = last;
        _run["wall_seconds"] = Math.Round(seconds + clock.Elapsed.TotalSeconds, 1);
        if (losses.Count > 0) _run["last_loss"] = losses[^1];
        if (accuracy is { } a) _run["eval_accuracy"] = a;
        var sha = Pipeline.Editing.Method.FileHash.Sha256(DiffCamPath);
        _run["diffcam_sha256"] = sha;
        TrainingOutputs.WriteRun(_training.OutDir, _run);
        return new DaRunResult(last, losses, accuracy, DiffCamPath, sha);
    }

    /// <summary>Where a pack records each run that trained its own DiffCam further (<c>--init pack</c>), in order.</summary>
    public const string FineTuneKey = "diffcam_fine_tune";

    /// <summary>
    /// Puts the trained <c>diffcam.pt</c> into the model pack (under the manifest's DiffCam file name) and refreshes the
    /// manifest's hashes, recording this run under <c>training.da</c>; a run that trained the pack's own DiffCam further
    /// is appended to <c>training.diffcam_fine_tune</c> so the record of every earlier run stays, and one that added a
    /// direction's class goes under <c>training.da_add_NAME</c>.
    /// </summary>
    public ModelPackManifest UpdatePack()
    {
        var manifest = _models.Manifest;
        if (_newClass is { } added)
            manifest = manifest with
            {
                DiffCam = manifest.DiffCam with { NumClass = added + 1 },
                Directions = manifest.Directions.Select(d => d.Name == _options.AddDirection ? d with { ClassIndex = added, Mask = null } : d).ToList(),
            };
        bool furtherTrained = _newClass is null && _options.Init == DiffCamInit.Pack;
        string key = _newClass is not null ? "da_add_" + _options.AddDirection : furtherTrained ? FineTuneKey : "da";
        return TrainingOutputs.UpdatePack(_models.Directory, manifest, manifest.DiffCam.File, DiffCamPath, key, _run, append: furtherTrained);
    }

    /// <summary>Train mode, except for a frozen trunk, whose BatchNorm keeps its running statistics.</summary>
    void TrainMode()
    {
        if (_newClass is null) DiffCam.train();
        else DiffCam.eval();
    }

    /// <summary>One optimisation step; returns its cross-entropy, batch accuracy and learning rate.</summary>
    public IReadOnlyDictionary<string, double> TrainStep(long step)
    {
        using var scope = NewDisposeScope();
        double lr = _schedule.Apply(_optimizer, step);
        var latents = _prior.TrainBatch(step);                                              // [B,n,512]
        var random = StepRandom.Dotnet(_training.Seed, step, DirectionStream);
        var k = Enumerable.Range(0, (int)latents.shape[0]).Select(_ => random.Next(_directions.Count)).ToArray();
        var pairs = Pairs(latents, k, NoiseOf(step, InversionNoiseStream), NoiseOf(step, EditNoiseStream));   // [B,6,da,da]
        var targets = tensor(k.Select(i => _classes[i]).ToArray());                         // [B]

        TrainMode();
        var logits = DiffCam.call(pairs);                                                   // [B,num_class]
        var loss = F.cross_entropy(logits, targets);
        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
        double accuracy = logits.argmax(1).eq(targets).to_type(ScalarType.Float32).mean().item<float>();
        return new Dictionary<string, double> { ["loss"] = loss.item<float>(), ["batch_acc"] = accuracy, ["lr"] = lr };
    }

    /// <summary>Held-out accuracy and cross-entropy, in eval mode (BatchNorm running statistics).</summary>
    public (double Accuracy, double Loss) Evaluate()
    {
        var (pairs, targets, _) = EvalPairs();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        DiffCam.eval();
        try
        {
            var logits = cat(pairs.split(_training.BatchSize).Select(p => DiffCam.call(p)).ToList(), 0);   // [E,num_class]
            var t = tensor(targets);
            double acc = logits.argmax(1).eq(t).to_type(ScalarType.Float32).mean().item<float>();
            double loss = F.cross_entropy(logits, t).item<float>();
            return (acc, loss);
        }
        finally
        {
            TrainMode();
        }
    }

    /// <summary>Rows of (inversion | edit | Diff-CAM mask over the edit) for the first held-out items.</summary>
    public RgbImage SampleGrid()
    {
        var (pairs, targets, dirs) = EvalPairs();
        int rows = Math.Min(_options.SampleCount, (int)pairs.shape[0]);
        using var scope = NewDisposeScope();
        DiffCam.eval();
        try
        {
            var part = pairs[..rows];
            var cam = DiffCamMask.Compute(DiffCam, part, targets.Take(rows).ToArray());         // mask [k,da,da]
            var lines = new List<(string, IReadOnlyList<RgbImage>)>();
            for (int i = 0; i < rows; i++)
            {
                var inversion = RgbImage.FromTensor(part[i, ..3]);
                var edit = RgbImage.FromTensor(part[i, 3..]);
                var mask = cam.Mask[i].contiguous().data<float>().ToArray();
                lines.Add(($"{_prior.EvalNames[i]} {_directions[dirs[i]].Direction.Name}", new[] { inversion, edit, ContactSheet.MaskOverlay(edit, mask) }));
            }
            return ContactSheet.Render(new[] { "inversion", "edit", "Diff-CAM mask" }, lines, new ContactSheet.Options(TileSize: SampleTile(_models.DiffCamInputSize)));
        }
        finally
        {
            TrainMode();
        }
    }

    internal static int SampleTile(int size) => Math.Clamp(size, 128, 256);

    /// <summary>The held-out pairs, made once: fixed codes, a seeded direction each, seeded noise.</summary>
    (Tensor Pairs, long[] Targets, int[] Directions) EvalPairs()
    {
        if (_eval is { } e) return e;
        var latents = _prior.EvalLatents;
        var random = StepRandom.Dotnet(_training.Seed, 0, EvalDirectionStream);
        var k = Enumerable.Range(0, (int)latents.shape[0]).Select(_ => random.Next(_directions.Count)).ToArray();
        var chunks = new List<Tensor>();
        using (var scope = NewDisposeScope())
        {
            for (int start = 0, chunk = 0; start < k.Length; start += _training.BatchSize, chunk++)
            {
                int end = Math.Min(k.Length, start + _training.BatchSize);
                chunks.Add(Pairs(latents[start..end], k[start..end], NoiseOf(-1 - chunk, EvalNoiseStream), NoiseOf(-1 - chunk, EvalNoiseStream + 1)));
            }
            var pairs = cat(chunks, 0).DetachFromDisposeScope();
            _eval = (pairs, k.Select(i => _classes[i]).ToArray(), k);
        }
        return _eval.Value;
    }

    /// <summary>W+ codes and a direction index per sample → cat(G(w), G(w + α_k·n_k)) face-pooled [B,6,da,da].</summary>
    Tensor Pairs(Tensor latents, int[] k, NoiseSource inversionNoise, NoiseSource editNoise)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var psp = _models.Psp;
        var offsets = _offsets.index_select(0, tensor(k.Select(i => (long)i).ToArray()));   // [B,n,512]
        var inversion = psp.Decode(latents, inversionNoise, resize: true);                 // [B,3,da,da]
        var edit = psp.Decode(latents.Plus(offsets), editNoise, resize: true);                 // [B,3,da,da]
        return cat(new[] { inversion, edit }, 1).MoveToOuterDisposeScope();
    }

    NoiseSource NoiseOf(long step, int stream) => _options.Noise == TrainingNoise.Stored
        ? NoiseSource.Stored
        : NoiseSource.Seeded((ulong)StepRandom.Dotnet(_training.Seed, step, stream).NextInt64());

    static Tensor Offsets(EditModels models, IReadOnlyList<LoadedDirection> directions, double? alpha)
    {
        using var scope = NewDisposeScope();
        int n = models.Psp.Config.NStyles, d = models.Psp.Config.StyleDim;
        var rows = directions.Select(dir =>
        {
            var v = dir.Direction.Vector;                                                   // [n or 1, 512]
            if (v.shape[1] != d || (v.shape[0] != 1 && v.shape[0] != n))
                throw new ArgumentException($"direction '{dir.Direction.Name}' is [{string.Join(",", v.shape)}], the generator's W+ is [{n},{d}]");
            using Scalar strength = alpha ?? dir.UnitStrength;
            return v.expand(n, d) * strength;
        }).ToList();
        return stack(rows, 0).DetachFromDisposeScope();
    }

    void SaveCheckpoint(long step, double seconds, Dictionary<string, nn.Module> modules, Dictionary<string, OptimizerHelper> optimizers)
    {
        var extra = new Dictionary<string, string>
        {
            ["seconds"] = seconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["seed"] = _training.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["batch"] = _training.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        TrainingCheckpoint.Save(_training.OutDir, step, Command, modules, optimizers, extra);
        TrainingOutputs.WriteAtomically(DiffCamPath, tmp => ModelPackWriter.SaveDiffCam(tmp, DiffCam));
    }

    JsonObject Describe()
    {
        var run = new JsonObject
        {
            ["command"] = Command,
            ["models"] = _models.Directory,
            ["pack_sha256"] = new JsonObject(_models.FileHashes.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["init"] = _options.Init,
            ["noise"] = _options.Noise.ToString().ToLowerInvariant(),
            ["eval_count"] = _options.EvalCount,
            ["added_direction"] = _options.AddDirection is { } a ? new JsonObject { ["name"] = a, ["class"] = _newClass, ["trains"] = "fc only; trunk frozen (eval-mode BatchNorm)" } : null,
            ["directions"] = new JsonArray(_directions.Select(d => (JsonNode)new JsonObject
            {
                ["name"] = d.Direction.Name, ["class"] = d.ClassIndex, ["alpha"] = _options.Alpha ?? d.UnitStrength,
            }).ToArray()),
            ["options"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(_training.Describe())),
            ["loss"] = "CrossEntropy(DiffCam(cat(inversion, edit)), class of the direction); DiffCam in train mode",
        };
        return run;
    }

    public void Dispose()
    {
        _prior.Dispose();
        _offsets.Dispose();
        _eval?.Pairs.Dispose();
        _optimizer.Dispose();
        DiffCam.Dispose();
    }
}
