using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Pipeline.Editing.Method;
using Pipeline.Editing.Training;
using Pipeline.World.Training;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline train directions</c>: the demo prior's exact attribute directions (column k of its factor map, unit
/// strength its length), checked with the world classifier on held-out scenes; the flip rates go into result.json and,
/// through <c>pipeline pack</c>, the manifest.
/// </summary>
public static class TrainDirectionsCommand
{
    public const string EntriesFile = "directions.json";

    public static Command Create()
    {
        var prior = new Option<string>("--prior") { Description = "the output folder of `train encoder` (or `train prior`): psp.pt and factor_map.pt", Required = true };
        var classifier = new Option<string>("--classifier") { Description = "the output folder of `train classifier` (checks the flips)", Required = true };
        var output = new Option<string>("--out") { Description = "output folder (directions/*.npy, directions.json, result.json)", Required = true };
        var calibrate = new Option<int>("--calibrate") { Description = "held-out train scenes the flip rates are measured on", DefaultValueFactory = _ => 256 };
        var seed = new Option<int>("--seed") { Description = "world seed of the held-out scenes", DefaultValueFactory = _ => new PriorRecipe().HeldOutSeed };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var cmd = new Command("directions", "write the demo prior's exact attribute directions (its factor map's columns) and check them with the world classifier")
        {
            prior, classifier, output, calibrate, seed, threads,
        };
        cmd.SetAction(p => WorldTrainCommands.Guard("directions", () =>
        {
            if (p.GetValue(threads) > 0) set_num_threads(p.GetValue(threads));
            return Run(p.GetValue(prior)!, p.GetValue(classifier)!, p.GetValue(output)!, p.GetValue(calibrate), p.GetValue(seed));
        }));
        return cmd;
    }

    public static int Run(string priorDir, string classifierDir, string outDir, int calibrate, int seed)
    {
        var sw = Stopwatch.StartNew();
        Directory.CreateDirectory(Path.Combine(outDir, "directions"));
        var (psp, map, _) = PriorNetworks.Load(priorDir);
        using var _psp = psp;
        using var _map = map;
        using var classifier = ClassifierCommand.Load(classifierDir);
        var directions = FactorDirections.Compute(psp, map, classifier, seed, calibrate);
        var entries = new List<DirectionEntry>();
        var metrics = new Dictionary<string, double>();
        foreach (var d in directions)
        {
            using var _d = d;
            var file = $"directions/{d.Name}.npy";
            ModelPackWriter.SaveDirection(Path.Combine(outDir, file), d.Direction);
            entries.Add(new DirectionEntry { Name = d.Name, File = file, ClassIndex = d.ClassIndex, Normalization = DirectionNormalization.Frobenius, UnitStrength = d.UnitStrength });
            metrics[$"{d.Name}_render_flip_rate"] = d.RenderFlipRate;
            metrics[$"{d.Name}_calibration_flip_rate"] = d.CalibrationFlipRate;
            Console.Error.WriteLine($"  {d.Name}: unit strength {d.UnitStrength:0.####}; the classifier reads {d.RenderFlipRate:P1} of exact renders and {d.CalibrationFlipRate:P1} of encoder edits as flipped");
        }
        File.WriteAllText(Path.Combine(outDir, EntriesFile), JsonSerializer.Serialize(entries, ModelPackManifest.Json));
        new TrainingResult
        {
            Command = TrainingResult.CommandLine(), Seed = seed, Steps = 0, Finished = true, WallSeconds = Math.Round(sw.Elapsed.TotalSeconds, 1),
            Metrics = metrics.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4)),
            Config = JsonSerializer.SerializeToElement(new
            {
                source = "factor map column k of attribute k (w = A·f + b); direction = A_k / ‖A_k‖_F, unit strength = ‖A_k‖_F",
                calibration_scenes = calibrate, heldout_seed = seed,
            }, ModelPackManifest.Json),
        }.Write(outDir);
        Console.Error.WriteLine($"directions: {entries.Count} in {sw.Elapsed.TotalSeconds:0} s -> {outDir}");
        return ExitCodes.Ok;
    }
}
