using System.CommandLine;
using System.Diagnostics;
using Pipeline.Cli.Engines;
using Pipeline.Workers.Method;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Outputs;
using Pipeline.Editing.Runtime;
using Pipeline.Faces;
using Spectre.Console;
using TorchSharp;

namespace Pipeline.Cli.Commands;

/// <summary>Where <c>pipeline edit</c> runs the method.</summary>
public enum EditEngine
{
    /// <summary>The coordinator and the three stage workers in this process (<see cref="Pipeline.Embedded.EmbeddedPipeline"/>):
    /// the same path as the distributed run. The default.</summary>
    Embedded,
    /// <summary>A running coordinator (<c>--coordinator URL</c>) and its workers.</summary>
    Coordinator,
    /// <summary>The method called directly (<see cref="FolderEditRunner"/>), without the pipeline.</summary>
    InProcess,
}

/// <summary>
/// <c>pipeline edit --input DIR --edit NAME=STRENGTH [--edit …] --models DIR --out DIR</c>: edits every image of a
/// folder with the method of the paper, through the embedded pipeline by default (<c>--engine in-process</c> calls the
/// method directly; <c>--coordinator URL</c> sends the job to a running coordinator); every entry of the folder gets a
/// line (edited, or refused with its reason); exit 0 when every item succeeded, 3 when some failed, 2 on bad arguments,
/// 130 when Ctrl+C or SIGTERM stopped the run (after the items in progress; the finished ones are kept).
/// </summary>
public static class EditCommand
{
    /// <summary>The demo pack of the clone the command runs in or was built in, so the default works from any working
    /// directory (relative to the working directory outside a clone, so that the error names the path looked for).</summary>
    public static string DefaultModels => Pipeline.Hosting.RepositoryRoot.PathOf(ModelOptions.DemoPack);

    const string StopMessage = "stopping after the items in progress; finished items are kept (Ctrl+C again to stop at once) …";

    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "an image file or a folder of images", Required = true };
        var edit = new Option<string[]>("--edit") { Description = "NAME=STRENGTH, in units of the attribute's unit strength (repeat for several attributes, applied in order)", AllowMultipleArgumentsPerToken = false };
        var editsFile = new Option<FileInfo?>("--edits-file") { Description = "CSV 'file,edits' with per-image edits like 'smile=+1;eyeglasses=+1' (overrides --edit for those files)" };
        var models = new Option<string>("--models") { Description = "model pack folder (manifest.json) or official release folder", DefaultValueFactory = _ => DefaultModels };
        var output = new Option<string>("--out") { Description = "output folder (one sub-folder per image)", Required = true };
        var resize = new Option<string?>("--resize") { Description = "resize inputs of another size: area | bicubic" };
        var crop = new Option<string?>("--crop") { Description = "crop inputs of another size: center" };
        var batch = new Option<int>("--batch") { Description = "images per tensor batch", DefaultValueFactory = _ => 4 };
        var seed = new Option<ulong>("--seed") { Description = "seed for --noise seeded", DefaultValueFactory = _ => 0 };
        var noise = new Option<NoiseMode>("--noise") { Description = "generator noise: Stored (default, deterministic) | Seeded | Random (the reference's randomize_noise)", DefaultValueFactory = _ => NoiseMode.Stored };
        var autograd = new Option<bool>("--autograd-cam") { Description = "Diff-CAM by autograd as the reference hook does (default: the equivalent closed form)" };
        var noDeghost = new Option<bool>("--no-deghost") { Description = "skip deghosting (the coarse composite is the final image)" };
        var inversion = new InversionOptions();
        var projectionVgg = new Option<FileInfo?>("--projection-vgg") { Description = "torchvision VGG16 weights for the projection's perceptual term (without them: pixel MSE only)" };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var engine = new Option<string>("--engine") { Description = "embedded (default: coordinator and workers in this process) | in-process (the method without the pipeline)", DefaultValueFactory = _ => "embedded" };
        var coordinator = new Option<string?>("--coordinator") { Description = "send the job to a running coordinator at this URL instead (its workers need the same model pack as --models)" };
        var apiKey = new Option<string?>("--api-key") { Description = $"with --coordinator: API key (default: ${Distributed.SubmitCommand.ApiKeyVariable})" };
        var align = new Option<bool>("--align") { Description = "photos of any size: find each face, align it as FFHQ was aligned, edit it, paste it back (docs/faces.md)" };
        var device = DeviceOption.Create();
        var faces = new FaceArguments();
        var cmd = new Command("edit", "edit a folder of photos, keeping what the GAN cannot reproduce")
        {
            input, edit, editsFile, models, output, resize, crop, batch, seed, noise, autograd, noDeghost, inversion.Invert, inversion.ProjectionSteps, projectionVgg, threads,
            engine, coordinator, apiKey, align, device,
        };
        faces.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            try
            {
                var edits = (parse.GetValue(edit) ?? Array.Empty<string>()).Select(AttributeEdit.Parse).ToList();
                var perItem = parse.GetValue(editsFile) is { } f ? ReadEditsFile(f.FullName) : null;
                if (edits.Count == 0 && perItem is null) throw new ArgumentException("give at least one --edit NAME=STRENGTH (or --edits-file)");
                var options = new MethodOptions
                {
                    Noise = parse.GetValue(noise),
                    Seed = parse.GetValue(seed),
                    Weighting = parse.GetValue(autograd) ? DiffCamWeighting.Autograd : DiffCamWeighting.ClosedForm,
                    BatchSize = parse.GetValue(batch),
                    SkipDeghosting = parse.GetValue(noDeghost),
                    Inversion = inversion.Method(parse),
                    Projection = new ProjectionOptions
                    {
                        Steps = inversion.Steps(parse),
                        Seed = parse.GetValue(seed),
                        VggWeights = parse.GetValue(projectionVgg)?.FullName,
                        Progress = new ProjectionProgressLines(Console.Error),
                    },
                };
                var sizeMode = SizePolicy.Parse(parse.GetValue(resize), parse.GetValue(crop));
                if (parse.GetValue(align) && sizeMode != SizeMode.Refuse)
                    throw new ArgumentException("--align sizes each face itself: leave out --resize and --crop");
                var faceOptions = parse.GetValue(align) ? faces.Read(parse) : null;
                if (parse.GetValue(threads) > 0) torch.set_num_threads(parse.GetValue(threads));
                var target = EngineTarget.Parse(parse.GetValue(engine), parse.GetValue(coordinator),
                    parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable(Distributed.SubmitCommand.ApiKeyVariable))
                    .On(DeviceOption.Read(parse, device));
                using var cancel = new CommandCancellation(StopMessage);
                return Run(parse.GetValue(input)!, edits, perItem, parse.GetValue(models)!, parse.GetValue(output)!, options, sizeMode, target, faceOptions,
                    cancel.Token);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or Pipeline.Editing.Checkpoints.CheckpointFormatException)
            {
                Console.Error.WriteLine($"edit: {e.Message}");
                return ExitCodes.BadInput;
            }
            catch (HttpRequestException e)
            {
                Console.Error.WriteLine($"edit: {e.Message}");
                return ExitCodes.BadInput;
            }
        });
        return cmd;
    }

    /// <summary>The folder through the embedded pipeline (the default engine).</summary>
    public static int Run(string input, IReadOnlyList<AttributeEdit> edits, IReadOnlyDictionary<string, IReadOnlyList<AttributeEdit>>? perItem,
        string modelsDir, string outDir, MethodOptions options, SizeMode sizeMode) =>
        Run(input, edits, perItem, modelsDir, outDir, options, sizeMode, EngineTarget.Embedded);

    /// <param name="align">with <c>--align</c>: how faces are found; each is aligned, edited and pasted back
    /// (<see cref="AlignedPhotoEdit"/>)</param>
    /// <param name="cancellation">stops the run after the items in progress (Ctrl+C, SIGTERM); the summary says so</param>
    public static int Run(string input, IReadOnlyList<AttributeEdit> edits, IReadOnlyDictionary<string, IReadOnlyList<AttributeEdit>>? perItem,
        string modelsDir, string outDir, MethodOptions options, SizeMode sizeMode, EngineTarget target, FaceOptions? align = null,
        CancellationToken cancellation = default)
    {
        if (!File.Exists(input) && !Directory.Exists(input)) throw new DirectoryNotFoundException($"input not found: {input}");
        if (target.Engine == EditEngine.InProcess)
            return RunInProcess(input, edits, perItem, modelsDir, outDir, options, sizeMode, align, cancellation, target.Device);
        var sw = Stopwatch.StartNew();
        var items = ListInput(input, edits, perItem);
        // A global edit that cannot work would fail every item: refuse it from the manifest, before any model loads.
        var manifestPack = ModelPackInfo.Read(modelsDir);
        if (edits.Count > 0)
        {
            EditChain.Check(edits);
            foreach (var e in edits) manifestPack.Direction(e.Attribute);
        }
        // The face models load before the edit models: a missing landmark file is one line, not a failed batch.
        using var faces = align is null ? null : FaceModels.CreateFinder(align);
        IEditJobHost host;
        ModelPackInfo pack;
        if (target.Engine == EditEngine.Coordinator)
        {
            pack = manifestPack;
            host = new CoordinatorJobHost(target.Coordinator!, target.ApiKey!);
        }
        else
        {
            Console.Error.WriteLine($"starting the embedded pipeline with the models from {modelsDir} …");
            // The projection's VGG16 weights are worker configuration (a job cannot name a file): given here as such.
            var settings = options.Projection.VggWeights is { } vgg
                ? new Dictionary<string, string?> { [$"{ModelOptions.Section}:{nameof(ModelOptions.VggWeights)}"] = vgg }
                : null;
            var embedded = EmbeddedJobHost.StartAsync(modelsDir, options.BatchSize, CancellationToken.None, settings, target.Device).GetAwaiter().GetResult();
            pack = ModelPackInfo.From(embedded.Models);
            host = embedded;
        }
        try
        {
            Directory.CreateDirectory(outDir);
            Console.Error.WriteLine($"{host.Description} ready in {sw.Elapsed.TotalSeconds:0.0} s; editing {items.Count} image(s): {string.Join(" ", edits)}");
            var runner = new PipelineEditRunner(host, pack, options, sizeMode, outDir);
            var outcomes = ShowProgress(items.Count, onItem => faces is null
                ? runner.RunAsync(items, edits, onItem, cancellation).GetAwaiter().GetResult()
                : new AlignedPhotoEdit(faces.Finder, pack.ImageSize, ImageLimits.Default, outDir)
                    .Run(items, f => runner.RunAsync(f, edits, _ => { }, cancellation).GetAwaiter().GetResult(), onItem));
            return Finish(outDir, outcomes, sw, items.Count, cancellation.IsCancellationRequested);
        }
        finally
        {
            host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>The method called directly, without the pipeline (<c>--engine in-process</c>).</summary>
    public static int RunInProcess(string input, IReadOnlyList<AttributeEdit> edits, IReadOnlyDictionary<string, IReadOnlyList<AttributeEdit>>? perItem,
        string modelsDir, string outDir, MethodOptions options, SizeMode sizeMode, FaceOptions? align = null, CancellationToken cancellation = default,
        ComputeDevice? device = null)
    {
        if (!File.Exists(input) && !Directory.Exists(input)) throw new DirectoryNotFoundException($"input not found: {input}");
        var sw = Stopwatch.StartNew();
        using var faces = align is null ? null : FaceModels.CreateFinder(align);
        Console.Error.WriteLine($"loading models from {modelsDir} …");
        using var models = EditModels.Load(modelsDir, device ?? ComputeDevice.Cpu, m => Console.Error.WriteLine("  " + m));
        // A global edit that cannot work would fail every item: refuse it up front.
        if (edits.Count > 0) EditChain.Resolve(models, edits);
        var items = ListInput(input, edits, perItem);
        Directory.CreateDirectory(outDir);
        Console.Error.WriteLine($"models ready in {sw.Elapsed.TotalSeconds:0.0} s; editing {items.Count} image(s): {string.Join(" ", edits)}");

        var runner = new FolderEditRunner(models, options, sizeMode, ImageLimits.Default, outDir);
        var outcomes = ShowProgress(items.Count, onItem => faces is null
            ? runner.Run(items, onItem, cancellation)
            : new AlignedPhotoEdit(faces.Finder, models.ImageSize, ImageLimits.Default, outDir).Run(items, f => runner.Run(f, _ => { }, cancellation), onItem));
        return Finish(outDir, outcomes, sw, items.Count, cancellation.IsCancellationRequested);
    }

    /// <summary>Every entry of the input, the ones that cannot be images with their refusal, so that each gets a line.</summary>
    static List<EditItem> ListInput(string input, IReadOnlyList<AttributeEdit> edits, IReadOnlyDictionary<string, IReadOnlyList<AttributeEdit>>? perItem)
    {
        var items = FolderEditRunner.ListFolder(input, edits, perItem);
        if (items.Count == 0) throw new ArgumentException($"{input} is empty: nothing to edit ({ImageFormats.Supported} images)");
        return items;
    }

    /// <summary>Runs <paramref name="run"/> under a progress bar (plain lines when stderr is redirected: logs and CI).</summary>
    static List<ItemOutcome> ShowProgress(int total, Func<Action<ItemOutcome>, List<ItemOutcome>> run)
    {
        if (Console.IsErrorRedirected)
        {
            int done = 0;
            return run(o =>
            {
                done++;
                Console.Error.WriteLine(o.Succeeded ? $"[{done}/{total}] {o.Name}: ok"
                    : o.Skipped ? $"[{done}/{total}] skipped {o.Name}: {o.Error}"
                    : $"[{done}/{total}] FAILED {o.Name}: {o.Error}");
            });
        }
        List<ItemOutcome> outcomes = new();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("editing", maxValue: total);
                outcomes = run(o =>
                {
                    task.Increment(1);
                    if (o.Skipped) console.MarkupLineInterpolated($"[grey]skipped[/] {o.Name}: {o.Error}");
                    else if (!o.Succeeded) console.MarkupLineInterpolated($"[red]FAILED[/] {o.Name}: {o.Error}");
                });
            });
        return outcomes;
    }

    static int Finish(string outDir, List<ItemOutcome> outcomes, Stopwatch sw, int total, bool stopped)
    {
        int failed = outcomes.Count(o => o.Failed);
        int skipped = outcomes.Count(o => o.Skipped);
        var counts = $"{outcomes.Count - failed - skipped} succeeded, {failed} failed{(skipped > 0 ? $", {skipped} skipped (not images)" : "")}";
        WriteIndex(outDir, outcomes);
        if (stopped)
        {
            Console.Error.WriteLine($"stopped after {sw.Elapsed.TotalSeconds:0.0} s: {counts}, {total - outcomes.Count} not done; " +
                                    $"outputs in {Path.GetFullPath(outDir)}; the same command resumes the run");
            return ExitCodes.Stopped;
        }
        Console.Error.WriteLine($"done in {sw.Elapsed.TotalSeconds:0.0} s: {counts}; outputs in {Path.GetFullPath(outDir)}");
        return failed == 0 ? ExitCodes.Ok : ExitCodes.PartialFailure;
    }

    static void WriteIndex(string outDir, List<ItemOutcome> outcomes)
    {
        var lines = new List<string> { "item,status,reason" };
        lines.AddRange(outcomes.Select(o => $"{o.Name},{(o.Succeeded ? "ok" : o.Skipped ? "skipped" : "failed")},\"{(o.Error ?? "").Replace("\"", "'")}\""));
        File.WriteAllLines(Path.Combine(outDir, "summary.csv"), lines);
    }

    static Dictionary<string, IReadOnlyList<AttributeEdit>> ReadEditsFile(string path)
    {
        var map = new Dictionary<string, IReadOnlyList<AttributeEdit>>(StringComparer.Ordinal);
        foreach (var (line, n) in File.ReadAllLines(path).Select((l, i) => (l.Trim(), i + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#') || (n == 1 && line.StartsWith("file,", StringComparison.OrdinalIgnoreCase))) continue;
            var parts = line.Split(',', 2);
            if (parts.Length != 2) throw new FormatException($"{path}:{n}: expected 'file,edits'");
            map[parts[0].Trim()] = parts[1].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(AttributeEdit.Parse).ToList();
        }
        return map;
    }
}
