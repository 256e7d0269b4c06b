using System.CommandLine;
using System.Text.Json;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Discriminator;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Training;
using Pipeline.World.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline train prior|encoder|directions|classifier</c>: the demo pack's training stages on a synthetic world's
/// <c>train</c> split. Added under an existing <c>train</c> command (which holds <c>da</c> and <c>deghost</c>) or a new one.
/// </summary>
public static class WorldTrainCommands
{
    public static void AddTo(RootCommand root)
    {
        var train = root.Subcommands.FirstOrDefault(c => c.Name == "train");
        if (train is null)
        {
            train = new Command("train", "train the networks of a model pack on a synthetic world");
            root.Subcommands.Add(train);
        }
        train.Subcommands.Add(Prior());
        train.Subcommands.Add(Encoder());
        train.Subcommands.Add(TrainDirectionsCommand.Create());
        train.Subcommands.Add(ClassifierCommand.Create());
    }

    /// <summary>Options every stage shares.</summary>
    internal sealed class Common
    {
        public readonly Option<string> Data = new("--data") { Description = "a world written by `pipeline synth --split train`", Required = true };
        public readonly Option<string> Out = new("--out") { Description = "output folder (checkpoints, log.csv, result.json, the trained file)", Required = true };
        public readonly Option<int> Steps = new("--steps") { Description = "total steps over all sittings", DefaultValueFactory = _ => 1000 };
        public readonly Option<int> Batch = new("--batch") { Description = "batch size", DefaultValueFactory = _ => 8 };
        public readonly Option<double> Lr = new("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 2e-3 };
        public readonly Option<long> Seed = new("--seed") { Description = "seed of initialisation and batch order", DefaultValueFactory = _ => 0 };
        public readonly Option<double> Minutes = new("--minutes") { Description = "wall-clock budget of this sitting (0 = none); a later run resumes", DefaultValueFactory = _ => 0 };
        public readonly Option<int> CheckpointEvery = new("--checkpoint-every") { Description = "steps between checkpoints", DefaultValueFactory = _ => 100 };
        public readonly Option<int> Limit = new("--limit") { Description = "use only the first N scenes (0 = all)", DefaultValueFactory = _ => 0 };
        public readonly Option<int> Threads = new("--threads") { Description = "libtorch CPU threads (0 = all cores)", DefaultValueFactory = _ => 0 };

        public void AddTo(Command c) { foreach (var o in new Option[] { Data, Out, Steps, Batch, Lr, Seed, Minutes, CheckpointEvery, Limit, Threads }) c.Options.Add(o); }

        public TrainingOptions Options(ParseResult p) => new()
        {
            OutDir = p.GetValue(Out)!, Steps = p.GetValue(Steps), BatchSize = p.GetValue(Batch), LearningRate = p.GetValue(Lr),
            Beta1 = 0.5, Beta2 = 0.99, Seed = p.GetValue(Seed), CheckpointEvery = p.GetValue(CheckpointEvery),
        };

        public TimeSpan? Budget(ParseResult p) => p.GetValue(Minutes) > 0 ? TimeSpan.FromMinutes(p.GetValue(Minutes)) : null;

        /// <summary>The train world of <c>--data</c>, with the scenes of <paramref name="oodWorld"/> interleaved when one
        /// is given (<c>--limit</c> applies to each).</summary>
        public LabelledImageSet Load(ParseResult p, string? oodWorld = null)
        {
            if (p.GetValue(Threads) > 0) torch.set_num_threads(p.GetValue(Threads));
            var limit = p.GetValue(Limit) is > 0 and var l ? l : (int?)null;
            var data = WorldTrainingSet.Load(p.GetValue(Data)!, limit);
            Console.Error.WriteLine($"loaded {data.Count} train scenes of {data.ImageSize}² from {p.GetValue(Data)}");
            if (oodWorld is null) return data;
            using var train = data;
            using var ood = WorldTrainingSet.Load(oodWorld, limit, acceptOod: true);
            Console.Error.WriteLine($"loaded {ood.Count} ood scenes of {ood.ImageSize}² from {oodWorld}, interleaved with the train scenes");
            return LabelledImageSet.Interleave(new[] { train, ood });
        }
    }

    /// <summary>Runs a stage body, mapping bad input to exit code 2.</summary>
    internal static int Guard(string name, Func<int> body) => InputGuard.Run($"train {name}", body);

    static Command Prior()
    {
        var common = new TrainingArguments(new TrainingOptions
        {
            OutDir = "unused", Steps = 12000, BatchSize = 16, LearningRate = 2e-3, Beta1 = 0.5, Beta2 = 0.99, Seed = 1,
            CheckpointEvery = 200, SampleEvery = 1000, EvalEvery = 500, MinLearningRate = 2e-5,
        });
        var worldSeed = new Option<int>("--world-seed") { Description = "world seed of the train-split scenes drawn each step", DefaultValueFactory = _ => new Pipeline.World.Training.PriorRecipe().WorldSeed };
        var scenes = Scenes();
        var classifier = new Option<string?>("--classifier") { Description = "the world classifier (`train classifier` folder or a pack): held-out attribute accuracy, and the feature term" };
        var featureWeight = new Option<double>("--feature-weight") { Description = "weight of the classifier-feature distance between render and scene (0: pixels only)", DefaultValueFactory = _ => 0 };
        var minutes = Minutes();
        var cmd = new Command("prior", "train the demo prior: a StyleGAN2 synthesis that renders a scene from its factors, G(A·f + b) (fresh train scenes each step; L1 + MSE)")
        {
            worldSeed, scenes, classifier, featureWeight, minutes,
        };
        common.AddTo(cmd, updatesPack: false);
        cmd.SetAction(p => Guard("prior", () =>
        {
            var options = common.Bind(p);
            Directory.CreateDirectory(options.OutDir);
            var recipe = new Pipeline.World.Training.PriorRecipe { WorldSeed = p.GetValue(worldSeed), SceneCount = p.GetValue(scenes), FeatureWeight = p.GetValue(featureWeight) };
            using var judge = p.GetValue(classifier) is { } dir ? ClassifierCommand.Load(dir) : null;
            using var trainer = new RendererTrainer(DemoPackConfig.Encoder, recipe, options, judge);
            using var cancel = new CommandCancellation();
            using var budget = Budget(p.GetValue(minutes), cancel.Token);
            var outcome = trainer.Run(new ConsoleTrainingProgress(), cancel: budget.Token);
            Console.Error.WriteLine($"prior: step {outcome.Step}/{options.Steps}{(outcome.Finished ? "" : " (stopped; run again to resume)")}, " +
                $"held-out PSNR {outcome.Metrics["heldout_psnr"]:0.00} dB, {outcome.WallSeconds:0} s in all -> {options.OutDir}");
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    static Command Encoder()
    {
        var defaults = new Pipeline.World.Training.PriorRecipe();
        var common = new TrainingArguments(new TrainingOptions
        {
            OutDir = "unused", Steps = 6000, BatchSize = 16, LearningRate = 1e-3, Beta1 = 0.9, Beta2 = 0.999, Seed = 2,
            CheckpointEvery = 200, SampleEvery = 1000, EvalEvery = 500, MinLearningRate = 1e-5,
        });
        var prior = new Option<string>("--prior") { Description = "the output folder of `train prior` (psp.pt, factor_map.pt, encoder.json), or a demo model pack to train its encoder further", Required = true };
        var worldSeed = new Option<int>("--world-seed") { Description = "world seed of the train-split scenes drawn each step", DefaultValueFactory = _ => defaults.WorldSeed };
        var latent = new Option<double>("--latent-weight") { Description = "weight of the squared distance to the clean face's code", DefaultValueFactory = _ => defaults.LatentWeight };
        var ood = new Option<double>("--ood-fraction") { Description = "share of scenes drawn with ood occluders and backgrounds (targets stay the clean face's)", DefaultValueFactory = _ => defaults.OodFraction };
        var encoder = new Option<string>("--encoder") { Description = "the encoder's forward: psp (one head per W+ row) or e4e (w0 repeated plus per-row deltas, with e4e's delta regulariser); the prior's weights start either", DefaultValueFactory = _ => EncoderTypes.Psp };
        encoder.AcceptOnlyFromAmong(EncoderTypes.Psp, EncoderTypes.E4e);
        var delta = new Option<double>("--delta-weight") { Description = "e4e only: weight of e4e's delta regulariser Σ_i ‖w_i − w_0‖₂", DefaultValueFactory = _ => defaults.DeltaWeight };
        var scenes = Scenes();
        var minutes = Minutes();
        var cmd = new Command("encoder", "train the pSp (or e4e) encoder of the demo prior: land on the clean face's code A·f + b, in domain and behind ood occluders")
        {
            prior, encoder, delta, worldSeed, scenes, latent, ood, minutes,
        };
        common.AddTo(cmd, updatesPack: true);
        cmd.SetAction(p => Guard("encoder", () =>
        {
            var options = common.Bind(p);
            var updatePack = p.GetValue(common.UpdatePack);
            if (updatePack && !PriorNetworks.IsModelPack(p.GetValue(prior)!))
                throw new ArgumentException($"--update-pack puts the encoder into the model pack it started from, and {p.GetValue(prior)} is not a model pack ({ModelPackManifest.FileName} missing)");
            Directory.CreateDirectory(options.OutDir);
            var recipe = defaults with { WorldSeed = p.GetValue(worldSeed), SceneCount = p.GetValue(scenes), LatentWeight = p.GetValue(latent), OodFraction = p.GetValue(ood), DeltaWeight = p.GetValue(delta) };
            manual_seed(options.Seed);
            var type = EncoderTypes.FromShortName(p.GetValue(encoder)!);
            using var trainer = new PriorEncoderTrainer(p.GetValue(prior)!, recipe, options, type);
            using var cancel = new CommandCancellation();
            using var budget = Budget(p.GetValue(minutes), cancel.Token);
            var outcome = trainer.Run(new ConsoleTrainingProgress(), cancel: budget.Token);
            Console.Error.WriteLine($"encoder: step {outcome.Step}/{options.Steps}{(outcome.Finished ? "" : " (stopped; run again to resume)")}, " +
                $"held-out PSNR {outcome.Metrics["heldout_psnr"]:0.00} dB in domain, {outcome.Metrics["heldout_ood_psnr"]:0.00} dB ood vs clean, {outcome.WallSeconds:0} s in all -> {options.OutDir}");
            if (updatePack && outcome.Finished)
            {
                PriorNetworks.IntoPack(p.GetValue(prior)!, options.OutDir);
                Console.Error.WriteLine($"encoder: {p.GetValue(prior)} now holds this encoder (manifest training.{PriorNetworks.FineTuneKey})");
            }
            else if (updatePack)
                Console.Error.WriteLine("encoder: the pack is updated when the run reaches its last step");
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    static Option<int> Scenes() => new("--scenes") { Description = "0: fresh scenes every step; N: cycle through the world seed's first N scenes", DefaultValueFactory = _ => 0 };

    static Option<double> Minutes() => new("--minutes") { Description = "wall-clock budget of this sitting (0 = none); it checkpoints where it stops and a later run resumes", DefaultValueFactory = _ => 0 };

    /// <summary>Ctrl+C or the end of the sitting's budget, whichever comes first.</summary>
    static CancellationTokenSource Budget(double minutes, CancellationToken interrupt)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        if (minutes > 0) source.CancelAfter(TimeSpan.FromMinutes(minutes));
        return source;
    }

    internal static void WriteResult(TrainingOptions options, TrainingOutcome outcome, JsonElement config) => new TrainingResult
    {
        Command = TrainingResult.CommandLine(), Seed = options.Seed, Steps = outcome.Step, Finished = outcome.Finished,
        WallSeconds = Math.Round(outcome.WallSeconds, 1), Metrics = outcome.Metrics.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4)), Config = config,
    }.Write(options.OutDir);
}
