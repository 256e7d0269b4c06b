using System.CommandLine;
using System.Text.Json;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Training;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline train classifier</c>: the world's attribute classifier (judges edits; Grad-CAM baseline).</summary>
public static class ClassifierCommand
{
    public const string WeightsFile = "classifier.pt";
    public const string ConfigFile = "classifier.json";

    public static Command Create()
    {
        var common = new WorldTrainCommands.Common();
        var oodData = new Option<string?>("--ood-data")
        {
            Description = "an ood world (`pipeline synth --split ood`, another world seed than any benchmark's) mixed in scene by scene: "
                          + "the judge of `eval synthetic` then reads attributes behind occluders (no network of the method learns from it)",
        };
        var cmd = new Command("classifier", "train the world's attribute classifier (multi-label BCE on the train split, and an ood world with --ood-data)");
        common.AddTo(cmd);
        cmd.Options.Add(oodData);
        cmd.SetAction(p => WorldTrainCommands.Guard("classifier", () =>
        {
            var options = common.Options(p) with { Beta1 = 0.9, Beta2 = 0.999 };
            Directory.CreateDirectory(options.OutDir);
            using var data = common.Load(p, p.GetValue(oodData));
            var config = new AttributeClassifierConfig { ImageSize = data.ImageSize, Attributes = data.AttributeNames.ToList() };
            manual_seed(options.Seed);
            using var model = new AttributeClassifier(config);
            var outcome = new ClassifierTrainer(model, options).Run(data, new ConsoleTrainingProgress(), TrainingResult.CommandLine(), common.Budget(p));
            Save(options.OutDir, model);
            WorldTrainCommands.WriteResult(options, outcome, JsonSerializer.SerializeToElement(config, ModelPackManifest.Json));
            Console.Error.WriteLine("classifier: held-out accuracy " + string.Join(", ", outcome.Metrics.Select(kv => $"{kv.Key.Replace("heldout_accuracy_", "")} {kv.Value:0.000}")));
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    public static void Save(string dir, AttributeClassifier model)
    {
        TorchSaveWriter.Write(Path.Combine(dir, WeightsFile), ModuleState.ToStateDict(model));
        File.WriteAllText(Path.Combine(dir, ConfigFile), JsonSerializer.Serialize(model.Config, ModelPackManifest.Json));
    }

    /// <summary>The classifier saved in <paramref name="dir"/> (classifier.pt + classifier.json), in eval mode.</summary>
    public static AttributeClassifier Load(string dir)
    {
        var configPath = Path.Combine(dir, ConfigFile);
        if (!File.Exists(configPath)) throw new FileNotFoundException($"no world classifier in {dir} ({ConfigFile} missing)");
        var config = JsonSerializer.Deserialize<AttributeClassifierConfig>(File.ReadAllText(configPath), ModelPackManifest.Json) ?? throw new InvalidDataException($"{configPath}: empty");
        var model = new AttributeClassifier(config);
        var path = Path.Combine(dir, WeightsFile);
        using (var ckpt = CheckpointReader.Read(path)) ModuleState.LoadStrict(model, ckpt.StateDict, path);
        model.eval();
        return model;
    }
}
