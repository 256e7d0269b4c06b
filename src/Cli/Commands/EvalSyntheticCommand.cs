using System.CommandLine;
using System.Diagnostics;
using Pipeline.Editing.Method;
using Pipeline.World.Evaluation;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline eval synthetic --models DIR --count N --seed S --json FILE</c>: the synthetic quality benchmark (every
/// edit compared with the true edited scene and the true change mask); prints the table and writes the JSON.
/// </summary>
public static class EvalSyntheticCommand
{
    /// <summary>The manifest role of the world classifier file in a model pack.</summary>
    public const string ClassifierRole = "world_classifier";

    /// <summary>The <c>synthetic</c> subcommand of <c>pipeline eval</c>.</summary>
    public static Command Create() => Synthetic();

    static Command Synthetic()
    {
        var models = new Option<string>("--models") { Description = "model pack folder (with the world classifier)", DefaultValueFactory = _ => EditCommand.DefaultModels };
        var count = new Option<int>("--count") { Description = "ood scenes", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "world seed of the scenes", DefaultValueFactory = _ => 0 };
        var json = new Option<string?>("--json") { Description = "write the scores here" };
        var batch = new Option<int>("--batch") { Description = "scenes per tensor batch", DefaultValueFactory = _ => 16 };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var device = DeviceOption.Create();
        var attributes = new Option<string?>("--attributes") { Description = "score only these attributes, comma-separated (default: every one the pack edits)" };
        var inversion = new InversionOptions();
        var cmd = new Command("synthetic", "edit N ood scenes toward every attribute's flipped state and score against the true edits and masks")
        {
            models, count, seed, json, batch, threads, device, attributes, inversion.Invert, inversion.ProjectionSteps,
        };
        cmd.SetAction(p =>
        {
            try
            {
                if (p.GetValue(threads) > 0) set_num_threads(p.GetValue(threads));
                var method = new MethodOptions
                {
                    BatchSize = p.GetValue(batch),
                    Inversion = inversion.Method(p),
                    Projection = new ProjectionOptions { Steps = inversion.Steps(p), Seed = (ulong)p.GetValue(seed) },
                };
                var report = Run(p.GetValue(models)!, p.GetValue(count), p.GetValue(seed), method, Console.Error.WriteLine,
                    DeviceOption.Read(p, device), TrainingArguments.List(p.GetValue(attributes)));
                Console.Out.Write(report.ToTable());
                if (p.GetValue(json) is { } path)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                    File.WriteAllText(path, report.ToJson());
                }
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or Pipeline.Editing.Checkpoints.CheckpointFormatException)
            {
                Console.Error.WriteLine($"eval synthetic: {e.Message}");
                return ExitCodes.BadInput;
            }
        });
        return cmd;
    }

    /// <param name="device">where the pack runs (null: the CPU); the world classifier judges on the CPU.</param>
    public static BenchmarkReport Run(string modelsDir, int count, int seed, int batch, Action<string> log,
        Pipeline.Editing.Runtime.ComputeDevice? device = null, IReadOnlyCollection<string>? attributes = null) =>
        Run(modelsDir, count, seed, new MethodOptions { BatchSize = batch }, log, device, attributes);

    /// <param name="method">the method's options (batch size, inversion); the defaults are the pack's main encoder.</param>
    /// <param name="device">where the pack runs (null: the CPU); the world classifier judges on the CPU.</param>
    /// <param name="attributes">the attributes to score (null: every one the pack edits).</param>
    public static BenchmarkReport Run(string modelsDir, int count, int seed, MethodOptions method, Action<string> log,
        Pipeline.Editing.Runtime.ComputeDevice? device = null, IReadOnlyCollection<string>? attributes = null)
    {
        var sw = Stopwatch.StartNew();
        using var models = EditModels.Load(modelsDir, device ?? Pipeline.Editing.Runtime.ComputeDevice.Cpu, m => { if (m.StartsWith("mask of", StringComparison.Ordinal)) log("  " + m); });
        var entry = models.Manifest.Files.FirstOrDefault(f => f.Role == ClassifierRole)
            ?? throw new InvalidDataException($"{modelsDir}: the manifest lists no file with role '{ClassifierRole}' (the world classifier judges the edits)");
        using var classifier = ClassifierCommand.Load(Path.GetDirectoryName(Path.Combine(modelsDir, entry.File))!);
        var benchmark = new SyntheticBenchmark(models, classifier, method);
        var inversion = new EditMethod(models, method).Invert;
        log($"eval synthetic: {count} ood scenes, seed {seed}, {models.Directions.Count} directions, inversion {InvertStage.Name(inversion.Method)}" +
            (inversion.Method == InversionMethod.Projection ? $" ({method.Projection.Steps} steps)" : "") +
            $", non-edit region = outside the true mask dilated by {benchmark.DilationRadius} px");
        var report = benchmark.Run(count, seed, m => log($"  {m} ({sw.Elapsed.TotalSeconds:0} s)"), attributes);
        log($"eval synthetic: {sw.Elapsed.TotalSeconds:0.0} s");
        return report;
    }
}
