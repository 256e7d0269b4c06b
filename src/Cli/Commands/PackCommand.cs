using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Deghosting;
using Pipeline.Editing.Training;
using Pipeline.World;
using Pipeline.World.Training;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline pack</c>: assembles a model pack from the outputs of the training commands — the prior/encoder's psp.pt,
/// the directions, the world classifier, and DiffCam / Deghosting from <c>train da</c> / <c>train deghost</c> — and
/// writes manifest.json with every file's sha256, configuration and training provenance (command, seed, wall time,
/// metrics). Without --diffcam or --deghosting, freshly initialised networks of the demo configuration are written and
/// marked untrained: the stage pack that <c>train da</c> and <c>train deghost</c> start from.
/// </summary>
public static class PackCommand
{
    public const string ClassifierConfigRole = "world_classifier_config";
    /// <summary>The prior's factor map w = A·f + b (a linear layer's state dict; its columns are the directions).</summary>
    public const string FactorMapRole = "factor_map";

    public static Command Create()
    {
        var prior = new Option<string>("--prior") { Description = "output folder of `train prior` or `train encoder`", Required = true };
        var directions = new Option<string>("--directions") { Description = "output folder of `train directions`", Required = true };
        var classifier = new Option<string>("--classifier") { Description = "output folder of `train classifier`", Required = true };
        var diffcam = new Option<string?>("--diffcam") { Description = "output folder of `train da` (diffcam.pt); absent: untrained" };
        var deghost = new Option<string?>("--deghosting") { Description = "output folder of `train deghost` (deghosting.pt); absent: untrained" };
        var output = new Option<string>("--out") { Description = "the pack folder to write", Required = true };
        var name = new Option<string>("--name") { Description = "pack name", DefaultValueFactory = _ => "demo" };
        var extra = new Option<string[]>("--stage") { Description = "NAME=FOLDER of another training run to record (e.g. prior=…, when --prior is the encoder run)" };
        var seed = new Option<long>("--seed") { Description = "initialisation seed of untrained stages", DefaultValueFactory = _ => 0 };
        var diffcamInput = new Option<int>("--diffcam-input") { Description = "side of the pairs DiffCam compares (upsampled from the images; larger = finer Diff-CAM maps)", DefaultValueFactory = _ => DemoPackConfig.ImageSize };
        var deghostIn = new Option<int>("--deghosting-input") { Description = "side of the composite Deghosting reads (the image size: restore without super-resolution)", DefaultValueFactory = _ => DemoPackStages.Deghosting.InSize };
        var cmd = new Command("pack", "assemble a model pack (manifest with hashes, configs and training provenance)")
        {
            prior, directions, classifier, diffcam, deghost, output, name, extra, seed, diffcamInput, deghostIn,
        };
        cmd.SetAction(p => WorldTrainCommands.Guard("pack", () =>
        {
            var stages = (p.GetValue(extra) ?? Array.Empty<string>()).Select(s => s.Split('=', 2)).ToDictionary(s => s[0], s => s.Length > 1 ? s[1] : throw new ArgumentException($"--stage {s[0]}: expected NAME=FOLDER"));
            Run(p.GetValue(prior)!, p.GetValue(directions)!, p.GetValue(classifier)!, p.GetValue(diffcam), p.GetValue(deghost), p.GetValue(output)!, p.GetValue(name)!, stages, p.GetValue(seed), p.GetValue(diffcamInput), p.GetValue(deghostIn));
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    public static ModelPackManifest Run(string priorDir, string directionsDir, string classifierDir, string? diffcamDir, string? deghostDir,
        string outDir, string name, IReadOnlyDictionary<string, string> stages, long seed, int diffcamInput = DemoPackConfig.ImageSize,
        int? deghostingInput = null)
    {
        Directory.CreateDirectory(Path.Combine(outDir, "directions"));
        var (psp, map, encoder) = PriorNetworks.Load(priorDir);
        map.Dispose();
        psp.Dispose();
        Copy(priorDir, PriorNetworks.PspFile, outDir, ModelPackWriter.EncoderFile);

        var entries = JsonSerializer.Deserialize<List<DirectionEntry>>(File.ReadAllText(Path.Combine(directionsDir, TrainDirectionsCommand.EntriesFile)), ModelPackManifest.Json)
            ?? throw new InvalidDataException($"{directionsDir}: empty {TrainDirectionsCommand.EntriesFile}");
        foreach (var d in entries) Copy(directionsDir, d.File, outDir, d.File);

        bool factorMap = File.Exists(Path.Combine(priorDir, PriorNetworks.FactorMapFile));
        if (factorMap) Copy(priorDir, PriorNetworks.FactorMapFile, outDir, PriorNetworks.FactorMapFile);
        Copy(classifierDir, ClassifierCommand.WeightsFile, outDir, ClassifierCommand.WeightsFile);
        Copy(classifierDir, ClassifierCommand.ConfigFile, outDir, ClassifierCommand.ConfigFile);

        var manifest = new ModelPackManifest
        {
            Name = name,
            Description = "Demo pack trained on Pipeline's synthetic face world (train split) with `pipeline train`; see docs/demo-pack.md",
            ImageSize = encoder.Generator.Size,
            Encoder = encoder with { File = ModelPackWriter.EncoderFile },
            DiffCam = DemoPackStages.DiffCam(WorldAttributes.All.Count) with { InputSize = diffcamInput },
            Deghosting = DemoPackStages.Deghosting with { InSize = deghostingInput ?? DemoPackStages.Deghosting.InSize },
            Directions = entries,
            Files = new()
            {
                new FileEntry { File = ClassifierCommand.WeightsFile, Role = EvalSyntheticCommand.ClassifierRole },
                new FileEntry { File = ClassifierCommand.ConfigFile, Role = ClassifierConfigRole },
            },
        };
        if (factorMap) manifest.Files.Add(new FileEntry { File = PriorNetworks.FactorMapFile, Role = FactorMapRole });
        manual_seed(seed);
        if (diffcamDir is not null) Copy(diffcamDir, ModelPackWriter.DiffCamFile, outDir, ModelPackWriter.DiffCamFile);
        else using (var dc = new Pipeline.Editing.Networks.DiffCam.DiffCam(EditModels.DiffCamConfigOf(manifest))) ModelPackWriter.SaveDiffCam(Path.Combine(outDir, ModelPackWriter.DiffCamFile), dc);
        if (deghostDir is not null) Copy(deghostDir, ModelPackWriter.DeghostingFile, outDir, ModelPackWriter.DeghostingFile);
        else using (var dg = new DeghostNetwork(EditModels.DeghostingConfigOf(manifest))) ModelPackWriter.SaveDeghosting(Path.Combine(outDir, ModelPackWriter.DeghostingFile), dg);

        var training = new JsonObject();
        void Stage(string key, string? dir)
        {
            if (dir is null) { training[key] = "untrained (initialisation only)"; return; }
            foreach (var f in new[] { TrainingResult.FileName, "run.json" })
                if (File.Exists(Path.Combine(dir, f)))
                {
                    var node = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, f)))!.AsObject();
                    if (!node.ContainsKey("wall_seconds") && LastLoggedSeconds(dir) is { } s) node["wall_seconds"] = s;
                    training[key] = node;
                    return;
                }
            training[key] = $"no provenance file in {dir}";
        }
        foreach (var (k, v) in stages) Stage(k, v);
        Stage(stages.ContainsKey("encoder") ? "prior_or_encoder" : "encoder", priorDir);
        Stage("directions", directionsDir);
        Stage("classifier", classifierDir);
        Stage("diffcam", diffcamDir);
        Stage("deghosting", deghostDir);
        training["machine"] = $"{Environment.ProcessorCount} CPU cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";
        manifest = manifest with { Training = JsonSerializer.SerializeToElement(training) };
        var written = ModelPackWriter.WriteManifest(outDir, manifest);
        long bytes = Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Console.Error.WriteLine($"pack: {name} -> {outDir} ({bytes / 1e6:0.0} MB, {written.Directions.Count} directions)");
        return written;
    }

    /// <summary>The wall time a training log (log.csv: step,seconds,…) recorded at its last row.</summary>
    static double? LastLoggedSeconds(string dir) => new TrainingLog(Path.Combine(dir, TrainingOutputs.LogFile)).LastRow()?.Seconds;

    static void Copy(string fromDir, string file, string toDir, string toFile)
    {
        var src = Path.Combine(fromDir, file);
        if (!File.Exists(src)) throw new FileNotFoundException($"missing training output: {src}");
        var dst = Path.Combine(toDir, toFile);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(dst))!);
        File.Copy(src, dst, overwrite: true);
    }
}
