using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.StyleGan2;
using Pipeline.Editing.Training;
using Pipeline.World;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline train directions</c>: encodes train scenes to W+, fits one InterFaceGAN-style linear boundary per world
/// attribute (its unit normal is the direction), and calibrates each direction's unit strength with the world classifier
/// so that <c>name=+1</c> flips the attribute on held-out train scenes.
/// </summary>
public static class DirectionsCommand
{
    public const string EntriesFile = "directions.json";
    const int EncodeBatch = 32;

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "a world written by `pipeline synth --split train`", Required = true };
        var prior = new Option<string>("--prior") { Description = "the output folder of `train prior` or `train encoder`", Required = true };
        var classifier = new Option<string>("--classifier") { Description = "the output folder of `train classifier` (calibrates unit strengths)", Required = true };
        var output = new Option<string>("--out") { Description = "output folder (directions/*.npy, directions.json, result.json)", Required = true };
        var count = new Option<int>("--count") { Description = "train scenes to encode for the fit", DefaultValueFactory = _ => 3000 };
        var calibrate = new Option<int>("--calibrate") { Description = "held-out train scenes used to choose unit strengths", DefaultValueFactory = _ => 96 };
        var seed = new Option<long>("--seed") { Description = "seed (recorded; the fit itself is deterministic)", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var cmd = new Command("directions", "fit InterFaceGAN-style linear attribute boundaries in W+ on encoded train scenes")
        {
            data, prior, classifier, output, count, calibrate, seed, threads,
        };
        cmd.SetAction(p => WorldTrainCommands.Guard("directions", () =>
        {
            if (p.GetValue(threads) > 0) set_num_threads(p.GetValue(threads));
            manual_seed(p.GetValue(seed));
            return Run(p.GetValue(data)!, p.GetValue(prior)!, p.GetValue(classifier)!, p.GetValue(output)!, p.GetValue(count), p.GetValue(calibrate), p.GetValue(seed));
        }));
        return cmd;
    }

    public static int Run(string dataDir, string priorDir, string classifierDir, string outDir, int count, int calibrate, long seed)
    {
        var sw = Stopwatch.StartNew();
        Directory.CreateDirectory(Path.Combine(outDir, "directions"));
        using var data = Pipeline.World.Training.WorldTrainingSet.Load(dataDir, count + calibrate);
        if (data.Count <= calibrate) throw new ArgumentException($"{dataDir} has {data.Count} scenes; need more than the {calibrate} calibration scenes");
        int fitCount = data.Count - calibrate;
        var (psp, entry) = WorldTrainCommands.LoadPrior(priorDir);
        using var _psp = psp;
        using var classifier = ClassifierCommand.Load(classifierDir);
        using var mode = inference_mode();

        Console.Error.WriteLine($"encoding {data.Count} train scenes …");
        var latentParts = new List<Tensor>();
        for (int i = 0; i < data.Count; i += EncodeBatch)
        {
            var (x, y) = data.Slice(i, EncodeBatch);
            latentParts.Add(psp.Encode(Composition.AreaDownsample(x, psp.Config.InputSize)));
            x.Dispose(); y.Dispose();
        }
        using var latents = cat(latentParts, 0);                      // [N,n_styles,dim]
        foreach (var t in latentParts) t.Dispose();
        var (_, labelsAll) = data.Slice(0, data.Count);
        using var labels = labelsAll;
        long rows = latents.shape[1], dim = latents.shape[2];
        using var flat = latents.reshape(latents.shape[0], rows * dim);

        var entries = new List<DirectionEntry>();
        var metrics = new Dictionary<string, double>();
        for (int a = 0; a < data.AttributeNames.Count; a++)
        {
            var name = data.AttributeNames[a];
            using var fitLabels = labels[..fitCount, a];
            LinearBoundary boundary;
            using (enable_grad()) using (inference_mode(false))
                boundary = LinearBoundary.Fit(flat[..fitCount].clone(), fitLabels.clone());
            using var _b = boundary;
            using var direction = boundary.EditVector.reshape(rows, dim);
            var file = $"directions/{name}.npy";
            ModelPackWriter.SaveDirection(Path.Combine(outDir, file), direction);

            using var spread = flat[..fitCount].matmul(boundary.EditVector).std();
            var measured = new List<(double, double)>();
            foreach (var k in DirectionCalibration.SpreadMultiples)
            {
                double strength = k * spread.item<float>();
                measured.Add((strength, FlipRate(psp, classifier, latents[fitCount..], labels[fitCount.., a], direction, a, strength)));
            }
            var (unit, success) = DirectionCalibration.Choose(measured);
            metrics[$"{name}_boundary_accuracy"] = boundary.TrainAccuracy;
            metrics[$"{name}_calibration_flip_rate"] = success;
            Console.Error.WriteLine($"  {name}: boundary accuracy {boundary.TrainAccuracy:0.000}, unit strength {unit:0.###} flips {success:0.000} of held-out scenes");
            entries.Add(new DirectionEntry
            {
                Name = name, File = file, ClassIndex = a, Normalization = DirectionNormalization.Frobenius, UnitStrength = Math.Round(unit, 4),
            });
        }
        File.WriteAllText(Path.Combine(outDir, EntriesFile), JsonSerializer.Serialize(entries, ModelPackManifest.Json));
        new TrainingResult
        {
            Command = TrainingResult.CommandLine(), Seed = seed, Steps = fitCount, Finished = true, WallSeconds = Math.Round(sw.Elapsed.TotalSeconds, 1),
            Metrics = metrics.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4)),
            Config = JsonSerializer.SerializeToElement(new { fit_scenes = fitCount, calibration_scenes = calibrate, spread_multiples = DirectionCalibration.SpreadMultiples, latent = "W+ (flattened)" }, ModelPackManifest.Json),
        }.Write(outDir);
        Console.Error.WriteLine($"directions: {entries.Count} in {sw.Elapsed.TotalSeconds:0} s -> {outDir}");
        return ExitCodes.Ok;
    }

    /// <summary>Fraction of scenes whose attribute the classifier reads as flipped after w + sign·strength·n (sign toward the flip).</summary>
    static double FlipRate(Pipeline.Editing.Networks.Psp.Psp psp, AttributeClassifier classifier, Tensor latents, Tensor labels, Tensor direction, int attribute, double strength)
    {
        using var scope = NewDisposeScope();
        var sign = 1 - 2 * labels;                                          // +1 where off, −1 where on
        var edited = latents + sign.view(-1, 1, 1) * direction.unsqueeze(0) * strength;
        var flipped = new List<Tensor>();
        for (long i = 0; i < edited.shape[0]; i += EncodeBatch)
        {
            var image = psp.Decode(edited.narrow(0, i, Math.Min(EncodeBatch, edited.shape[0] - i)), NoiseSource.Stored, resize: false).clamp(-1, 1);
            flipped.Add(classifier.call(image)[.., attribute].gt(0).to_type(ScalarType.Float32));
        }
        var predicted = cat(flipped, 0);
        return (predicted != labels).to_type(ScalarType.Float32).mean().item<float>();
    }
}
