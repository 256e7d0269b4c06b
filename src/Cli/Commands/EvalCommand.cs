using System.CommandLine;
using Pipeline.Cli.Engines;
using Pipeline.Cli.Evaluation;
using Pipeline.Editing.Evaluation;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Metrics.Inception;
using Pipeline.Editing.Metrics.Lpips;
using Pipeline.Editing.Method;
using Pipeline.Editing.Outputs;
using Pipeline.Faces;
using Pipeline.Workers.Method;
using TorchSharp;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline eval dataset --input DIR --attributes a,b --models DIR --out DIR</c>: the paper's Table 1 protocol over a
/// folder (FID per attribute and their mean, LPIPS whole and outside the mask, PSNR/SSIM), resumable, with
/// metrics.json, metrics.csv and report.html.
/// </summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var cmd = new Command("eval", "evaluate the method with the metrics papers print");
        cmd.Subcommands.Add(Dataset());
        cmd.Subcommands.Add(EvalSyntheticCommand.Create());
        cmd.Subcommands.Add(EvalDirectionCommand.Create());
        return cmd;
    }

    static Command Dataset()
    {
        var input = new Option<string>("--input") { Description = "folder of images (the original set)", Required = true };
        var attributes = new Option<string>("--attributes") { Description = "comma-separated attributes, each NAME or NAME=STRENGTH (e.g. smile,eyeglasses=+1)", Required = true };
        var models = new Option<string>("--models") { Description = "model pack folder", DefaultValueFactory = _ => EditCommand.DefaultModels };
        var output = new Option<string>("--out") { Description = "output folder (metrics.json, metrics.csv, report.html, samples/, state/)", Required = true };
        var coordinator = new Option<string?>("--coordinator") { Description = "run the edits on the cluster behind this coordinator URL" };
        var apiKey = new Option<string?>("--api-key") { Description = $"the coordinator's API key (default: ${Distributed.SubmitCommand.ApiKeyVariable})" };
        var engine = new Option<string?>("--engine") { Description = "where the edits run without --coordinator: embedded (the pipeline in this process, default) | in-process (the method called directly)" };
        var inception = new Option<string?>("--inception") { Description = "pytorch-fid's pt_inception-2015-12-05-6726825d.pth (without it FID is skipped)" };
        var lpipsDir = new Option<string?>("--lpips-dir") { Description = "folder with LPIPS' alex.pth/vgg.pth and the torchvision backbone (without it LPIPS is skipped)" };
        var lpipsNet = new Option<string>("--lpips-net") { Description = "LPIPS backbone: alex | vgg", DefaultValueFactory = _ => "alex" };
        var fidResize = new Option<FidResizeMode>("--fid-resize") { Description = "Bilinear (pytorch-fid, default) | Clean (PIL-style antialiased bicubic)", DefaultValueFactory = _ => FidResizeMode.Bilinear };
        var resize = new Option<string?>("--resize") { Description = "resize inputs of another size: area | bicubic" };
        var batch = new Option<int>("--batch") { Description = "images per batch", DefaultValueFactory = _ => 4 };
        var samples = new Option<int>("--samples") { Description = "sample items per attribute shown in the report", DefaultValueFactory = _ => 4 };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var align = new Option<bool>("--align") { Description = "raw photos: evaluate on each photo's largest face, aligned as FFHQ was aligned into OUT/aligned (docs/faces.md)" };
        var device = DeviceOption.Create();
        var faces = new FaceArguments();
        var cmd = new Command("dataset", "edit every image per attribute, then FID, LPIPS (whole and outside the mask), PSNR and SSIM")
        {
            input, attributes, models, output, coordinator, apiKey, engine, inception, lpipsDir, lpipsNet, fidResize, resize, batch, samples, threads, align,
            device,
        };
        faces.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            using var cancel = new CommandCancellation("stopping after this batch; the state is saved for a rerun to resume (Ctrl+C again to abort) …");
            try
            {
                var target = EngineTarget.Parse(parse.GetValue(engine), parse.GetValue(coordinator),
                    parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable(Distributed.SubmitCommand.ApiKeyVariable))
                    .On(DeviceOption.Read(parse, device));
                if (parse.GetValue(threads) > 0) torch.set_num_threads(parse.GetValue(threads));
                var options = new EvaluationOptions
                {
                    InputDir = parse.GetValue(input)!,
                    Attributes = parse.GetValue(attributes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(AttributeEdit.Parse).ToList(),
                    OutDir = parse.GetValue(output)!,
                    InceptionFile = parse.GetValue(inception),
                    LpipsDir = parse.GetValue(lpipsDir),
                    LpipsNet = LpipsNets.Parse(parse.GetValue(lpipsNet)!),
                    FidResize = parse.GetValue(fidResize),
                    SizeMode = SizePolicy.Parse(parse.GetValue(resize), null),
                    BatchSize = parse.GetValue(batch),
                    Samples = parse.GetValue(samples),
                };
                if (parse.GetValue(align))
                    options = AlignInputs(options, parse.GetValue(models)!, faces.Read(parse));
                return Run(options, parse.GetValue(models)!, Console.Out, Console.Error, target, parse.GetValue(threads), cancel.Token);
            }
            catch (OperationCanceledException) when (cancel.Token.IsCancellationRequested)
            {
                Console.Error.WriteLine("eval dataset: interrupted; run the same command again to resume");
                return ExitCodes.Failed;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or FileNotFoundException or DirectoryNotFoundException
                                       or InvalidDataException or InvalidOperationException or ImageDecodeException or HttpRequestException
                                       or Pipeline.Editing.Checkpoints.CheckpointFormatException or Pipeline.Editing.Checkpoints.StateDictMismatchException)
            {
                Console.Error.WriteLine($"eval dataset: {e.Message}");
                return ExitCodes.BadInput;
            }
        });
        return cmd;
    }

    /// <summary>
    /// <c>--align</c>: the input photos' largest faces, aligned to the pack's size by <c>pipeline align</c> into
    /// <c>OUT/aligned</c> (with its faces.json), become the evaluated set; a photo without a usable face is left out with
    /// its reason there and on stderr. Aligning is deterministic, so a resumed run finds the same set.
    /// </summary>
    public static EvaluationOptions AlignInputs(EvaluationOptions options, string modelsDir, FaceOptions faces)
    {
        if (options.SizeMode != SizeMode.Refuse)
            throw new ArgumentException("--align sizes each face itself: leave out --resize");
        var aligned = Path.Combine(options.OutDir, "aligned");
        var largest = faces with { Detector = faces.Detector with { MaxFaces = 1 } };
        AlignCommand.Run(options.InputDir, aligned, ModelPackInfo.Read(modelsDir).ImageSize, Path.Combine(aligned, "faces.json"), largest);
        return options with { InputDir = aligned };
    }

    /// <summary>Runs an evaluation; <paramref name="engine"/> null is the embedded pipeline.</summary>
    /// <param name="threads">libtorch CPU threads of the embedded pipeline's stages (0: libtorch's default); the in-process
    /// engine uses the calling thread's setting.</param>
    /// <param name="cancel">stops the evaluation after the batch in hand, with its state saved in <c>OUT/state/</c></param>
    public static int Run(EvaluationOptions options, string modelsDir, TextWriter stdout, TextWriter stderr, EngineTarget? engine = null, int threads = 0,
        CancellationToken cancel = default)
    {
        engine ??= EngineTarget.Embedded;
        if (engine.Engine == EditEngine.InProcess)
        {
            stderr.WriteLine($"loading models from {modelsDir} …");
            using var models = EditModels.Load(modelsDir, engine.Device, m => stderr.WriteLine("  " + m));
            foreach (var a in options.Attributes) models.Direction(a.Attribute);
            return Evaluate(options, new InProcessDatasetEditor(models, new MethodOptions { BatchSize = options.BatchSize }), stdout, stderr, cancel);
        }
        // Started and stopped off this thread: the evaluation itself is synchronous.
        var host = Task.Run(() => StartHostAsync(engine, modelsDir, options.BatchSize, threads, stderr)).GetAwaiter().GetResult();
        try
        {
            var pack = host is EmbeddedJobHost embedded ? ModelPackInfo.From(embedded.Models) : ModelPackInfo.Read(modelsDir);
            foreach (var a in options.Attributes) pack.Direction(a.Attribute);
            return Evaluate(options, new PipelineDatasetEditor(host, pack.Name, pack.ImageSize, PipelineDatasetEditor.DefaultJobOptions()), stdout, stderr, cancel);
        }
        finally
        {
            Task.Run(() => host.DisposeAsync().AsTask()).GetAwaiter().GetResult();
        }
    }

    static async Task<IEditJobHost> StartHostAsync(EngineTarget engine, string modelsDir, int batchSize, int threads, TextWriter stderr)
    {
        if (engine.Engine == EditEngine.Coordinator)
        {
            stderr.WriteLine($"editing through the coordinator at {engine.Coordinator} (its workers' model pack must be {modelsDir})");
            return new CoordinatorJobHost(engine.Coordinator!, engine.ApiKey!);
        }
        stderr.WriteLine($"starting the embedded pipeline with the model pack {modelsDir} …");
        // The stages run on the pipeline's threads: the thread count must reach them through the models' settings.
        var settings = new Dictionary<string, string?>();
        if (threads > 0) settings[$"{ModelOptions.Section}:{nameof(ModelOptions.Threads)}"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await EmbeddedJobHost.StartAsync(modelsDir, batchSize, CancellationToken.None, settings, engine.Device);
    }

    static int Evaluate(EvaluationOptions options, IDatasetEditor editor, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        using var evaluation = new DatasetEvaluation(options, editor, m => stderr.WriteLine(m));
        var result = evaluation.Run(p => stderr.WriteLine($"  {p.Pass}: {p.Done}/{p.Total}"), cancel);
        MetricsFiles.Write(options.OutDir, result);
        ReportPage.Write(options.OutDir, result);
        PrintSummary(result, stdout);
        stdout.WriteLine($"wrote {Path.Combine(options.OutDir, MetricsFiles.JsonFile)}, {MetricsFiles.CsvFile} and {ReportPage.FileName}");
        return ExitCodes.Ok;
    }

    static void PrintSummary(EvaluationResult r, TextWriter o)
    {
        o.WriteLine($"{"attribute",-20} {"FID",8} {"LPIPS",8} {"LPIPS-out",9} {"PSNR",7} {"SSIM",7}");
        string V(string metric, double? v) => MetricsFiles.Availability(r, metric).Computed && v is double x ? MetricFormats.Format(metric, x) : "skipped";
        foreach (var a in r.Attributes)
            o.WriteLine($"{a.Attribute,-20} {V("fid", a.Fid),8} {V("lpips", a.Lpips),8} {V("lpips_masked", a.LpipsMasked),9} {V("psnr", a.Psnr),7} {V("ssim", a.Ssim),7}");
        o.WriteLine($"{"mean",-20} {V("fid", r.MeanFid),8} {V("lpips", r.MeanLpips),8} {V("lpips_masked", r.MeanLpipsMasked),9} {V("psnr", r.MeanPsnr),7} {V("ssim", r.MeanSsim),7}");
        foreach (var s in r.Skipped) o.WriteLine($"skipped {s.Metric}: {s.SkipReason}");
    }
}
