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
    public const string PriorFile = ModelPackWriter.EncoderFile;
    public const string EncoderEntryFile = "encoder.json";

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
        train.Subcommands.Add(DirectionsCommand.Create());
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

        public LabelledImageSet Load(ParseResult p)
        {
            if (p.GetValue(Threads) > 0) torch.set_num_threads(p.GetValue(Threads));
            var limit = p.GetValue(Limit);
            var data = WorldTrainingSet.Load(p.GetValue(Data)!, limit > 0 ? limit : null);
            Console.Error.WriteLine($"loaded {data.Count} train scenes of {data.ImageSize}² from {p.GetValue(Data)}");
            return data;
        }
    }

    /// <summary>Runs a stage body, mapping bad input to exit code 2.</summary>
    internal static int Guard(string name, Func<int> body)
    {
        try { return body(); }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or CheckpointFormatException)
        {
            Console.Error.WriteLine($"train {name}: {e.Message}");
            return ExitCodes.BadInput;
        }
    }

    static Command Prior()
    {
        var common = new Common();
        var adv = new Option<double>("--adversarial") { Description = "weight of the non-saturating adversarial term", DefaultValueFactory = _ => new PriorRecipe().AdversarialWeight };
        var cmd = new Command("prior", "train the StyleGAN2 prior jointly with the pSp encoder (W+ autoencoder + adversarial term)") { adv };
        common.AddTo(cmd);
        cmd.SetAction(p => Guard("prior", () =>
        {
            var options = common.Options(p);
            Directory.CreateDirectory(options.OutDir);
            using var data = common.Load(p);
            var entry = DemoPackConfig.Encoder;
            if (data.ImageSize != entry.Generator.Size) throw new ArgumentException($"the demo prior makes {entry.Generator.Size}² images; the world has {data.ImageSize}² (synth --size {entry.Generator.Size})");
            manual_seed(options.Seed);
            using var psp = new Psp(PspConfigOf(entry));
            using var disc = new StyleGan2Discriminator(DemoPackConfig.Discriminator);
            using var avg = InitialLatentAverage(psp, options.Seed);
            using var latentAvg = new LatentAverage(avg);
            var recipe = new PriorRecipe { AdversarialWeight = p.GetValue(adv) };
            return RunPrior(psp, disc, latentAvg, recipe, options, data, entry, common.Budget(p), "prior");
        }));
        return cmd;
    }

    static Command Encoder()
    {
        var common = new Common();
        var prior = new Option<string>("--prior") { Description = "the output folder of `train prior` (its psp.pt and encoder.json)", Required = true };
        var cmd = new Command("encoder", "fine-tune the pSp encoder against the frozen prior generator") { prior };
        common.AddTo(cmd);
        cmd.SetAction(p => Guard("encoder", () =>
        {
            var options = common.Options(p);
            Directory.CreateDirectory(options.OutDir);
            using var data = common.Load(p);
            var (psp, entry) = LoadPrior(p.GetValue(prior)!);
            using var _ = psp;
            using var latentAvg = new LatentAverage(psp.LatentAvg!);
            var recipe = new PriorRecipe { TrainDecoder = false, AdversarialWeight = 0 };
            return RunPrior(psp, null, latentAvg, recipe, options, data, entry, common.Budget(p), "encoder");
        }));
        return cmd;
    }

    static int RunPrior(Psp psp, StyleGan2Discriminator? disc, LatentAverage latentAvg, PriorRecipe recipe, TrainingOptions options,
        LabelledImageSet data, EncoderEntry entry, TimeSpan? budget, string stage)
    {
        var command = TrainingResult.CommandLine();
        var outcome = new PriorTrainer(psp, disc, recipe, options).Run(data, latentAvg, new ConsoleTrainingProgress(), command, budget);
        psp.SetLatentAvg(latentAvg.Value);
        ModelPackWriter.SavePsp(Path.Combine(options.OutDir, PriorFile), psp);
        File.WriteAllText(Path.Combine(options.OutDir, EncoderEntryFile), JsonSerializer.Serialize(entry, ModelPackManifest.Json));
        if (disc is not null) TorchSaveWriter.Write(Path.Combine(options.OutDir, "discriminator.pt"), ModuleState.ToStateDict(disc));
        WriteResult(options, outcome, JsonSerializer.SerializeToElement(new { encoder = entry, recipe }, ModelPackManifest.Json));
        Console.Error.WriteLine($"{stage}: step {outcome.Step}/{options.Steps}{(outcome.Finished ? "" : " (budget reached; run again to resume)")}, " +
            $"held-out PSNR {outcome.Metrics["heldout_psnr"]:0.00} dB, {outcome.WallSeconds:0} s in all -> {options.OutDir}");
        return ExitCodes.Ok;
    }

    internal static void WriteResult(TrainingOptions options, TrainingOutcome outcome, JsonElement config) => new TrainingResult
    {
        Command = TrainingResult.CommandLine(), Seed = options.Seed, Steps = outcome.Step, Finished = outcome.Finished,
        WallSeconds = Math.Round(outcome.WallSeconds, 1), Metrics = outcome.Metrics.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4)), Config = config,
    }.Write(options.OutDir);

    public static PspConfig PspConfigOf(EncoderEntry entry) =>
        EditModels.PspConfigOf(new ModelPackManifest { ImageSize = entry.Generator.Size, Encoder = entry, DiffCam = new DiffCamEntry { InputSize = entry.Generator.Size } });

    /// <summary>The trained pSp of a <c>train prior</c> or <c>train encoder</c> folder.</summary>
    public static (Psp Psp, EncoderEntry Entry) LoadPrior(string dir)
    {
        var entryPath = Path.Combine(dir, EncoderEntryFile);
        if (!File.Exists(entryPath)) throw new FileNotFoundException($"{dir} is not a `train prior` output ({EncoderEntryFile} missing)");
        var entry = JsonSerializer.Deserialize<EncoderEntry>(File.ReadAllText(entryPath), ModelPackManifest.Json) ?? throw new InvalidDataException($"{entryPath}: empty");
        var psp = new Psp(PspConfigOf(entry));
        using (var ckpt = CheckpointReader.Read(Path.Combine(dir, PriorFile)))
            PspWeights.Load(psp, ckpt.StateDict, ckpt.LatentAvg);
        psp.eval();
        return (psp, entry);
    }

    /// <summary>latent_avg as pSp defines it: the mean mapped W of many random z, one row per W+ style.</summary>
    static Tensor InitialLatentAverage(Psp psp, long seed)
    {
        const int Samples = 4096;
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var gen = new Generator((ulong)seed);
        var z = randn(new long[] { Samples, psp.Config.StyleDim }, generator: gen);
        var w = psp.Decoder.Map(z).mean([0]);
        return w.unsqueeze(0).expand(psp.Config.NStyles, -1).contiguous().MoveToOuterDisposeScope();
    }
}
