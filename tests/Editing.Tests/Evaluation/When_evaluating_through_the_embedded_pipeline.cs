using System.Text.Json.Nodes;
using Pipeline.Cli.Commands;
using Pipeline.Cli.Engines;
using Pipeline.Cli.Evaluation;
using Pipeline.Editing.Evaluation;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.World.Dataset;
using Pipeline.World.Scenes;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Evaluation;

/// <summary>
/// The evaluation's edits made by jobs through the embedded pipeline (coordinator saga, three stage workers, blob claim
/// checks), with the demo pack on a few synthetic out-of-domain scenes, against the same edits made in process.
/// The two paths run the same stage functions and hand each other float tensors, so they differ only where the jobs'
/// items land in tensor batches of another size than the in-process batches (libtorch blocks a batch by its size, so
/// the last float bits move) and where the evaluation's inputs go up as 8-bit PNGs. The tolerances were set when the
/// stages still handed 8-bit PNGs to each other (demo pack, 6 scenes: PSNR 5e-4 dB, SSIM 9e-5, LPIPS 3e-5 apart, mean
/// output 0.3–0.45 levels); they stay far below the differences between the methods Table 1 compares (FID several
/// points, LPIPS 0.01 or more). FID below <see cref="FidZero"/> is numerically zero (the test's random-weight Inception
/// barely separates the sets), so it is compared absolutely there.
/// </summary>
public sealed class When_evaluating_through_the_embedded_pipeline(ITestOutputHelper output) : IDisposable
{
    const int Scenes = 6;
    const int SceneSeed = 3;
    const double PsnrToleranceDb = 0.1;
    const double SsimTolerance = 0.005;
    const double LpipsTolerance = 0.005;
    const double FidRelativeTolerance = 0.05;
    const double FidZero = 1e-6;
    /// <summary>Mean |in-process − pipeline| over output pixels, in 8-bit levels.</summary>
    const double MeanOutputLevelsTolerance = 1.0;
    const double MeanMaskTolerance = 0.01;

    static readonly AttributeEdit[] Attributes = [new("smile", 1), new("eyeglasses", -1)];
    readonly EvaluationSetup _setup = new();

    public void Dispose() => _setup.Dispose();

    static string DemoPack => FixturePaths.DemoPack;

    string SyntheticScenes(int size)
    {
        var root = _setup.NewOutDir("scenes");
        Assert.Equal(ExitCodes.Ok, SynthCommand.Run(new DatasetRequest(root, WorldSplit.Ood, Scenes, size, SceneSeed, Threads: 1), TextWriter.Null));
        return Path.Combine(root, "images");
    }

    EvaluationOptions Options(string images, string name) => new()
    {
        InputDir = images,
        Attributes = Attributes,
        OutDir = _setup.NewOutDir(name),
        InceptionFile = _setup.InceptionFile,
        LpipsDir = _setup.LpipsDir,
        BatchSize = 3,
        Samples = 2,
    };

    [Fact]
    public void Should_write_the_metrics_and_report_with_the_in_process_numbers()
    {
        var pack = ModelPackManifest.Read(Path.Combine(DemoPack, ModelPackManifest.FileName));
        var images = SyntheticScenes(pack.ImageSize);
        var inProcess = Options(images, "in-process");
        var embedded = Options(images, "embedded");
        Assert.Equal(ExitCodes.Ok, EvalCommand.Run(inProcess, DemoPack, TextWriter.Null, TextWriter.Null, EngineTarget.InProcess));
        Assert.Equal(ExitCodes.Ok, EvalCommand.Run(embedded, DemoPack, TextWriter.Null, TextWriter.Null, EngineTarget.Embedded));

        foreach (var file in new[] { MetricsFiles.JsonFile, MetricsFiles.CsvFile, ReportPage.FileName })
            Assert.True(File.Exists(Path.Combine(embedded.OutDir, file)), $"{file} missing");
        var a = JsonNode.Parse(File.ReadAllText(Path.Combine(inProcess.OutDir, MetricsFiles.JsonFile)))!;
        var b = JsonNode.Parse(File.ReadAllText(Path.Combine(embedded.OutDir, MetricsFiles.JsonFile)))!;
        Assert.Contains("through the embedded pipeline", b.ToJsonString());
        Assert.Contains("through the embedded pipeline", File.ReadAllText(Path.Combine(embedded.OutDir, ReportPage.FileName)));
        foreach (var m in MetricsFiles.Metrics)
        {
            Assert.Equal("computed", b["metrics"]![m]!["status"]!.GetValue<string>());
            foreach (var attr in Attributes.Select(x => x.ToString()))
            {
                double x = a["metrics"]![m]!["per_attribute"]![attr]!.GetValue<double>();
                double y = b["metrics"]![m]!["per_attribute"]![attr]!.GetValue<double>();
                output.WriteLine($"{m} {attr}: in-process {x:G6}, embedded {y:G6}, diff {y - x:G3}");
                double tolerance = m switch
                {
                    "psnr" => PsnrToleranceDb,
                    "ssim" => SsimTolerance,
                    "fid" => Math.Max(FidRelativeTolerance * Math.Abs(x), FidZero),
                    _ => LpipsTolerance,
                };
                Assert.True(Math.Abs(x - y) <= tolerance, $"{m} {attr}: in-process {x}, embedded {y} (tolerance {tolerance})");
            }
        }
    }

    [Fact]
    public async Task Should_return_the_in_process_outputs_and_masks_item_by_item()
    {
        using var models = EditModels.Load(DemoPack);
        var inProcess = new InProcessDatasetEditor(models, new MethodOptions());
        var files = DatasetEvaluation.ListImages(SyntheticScenes(models.ImageSize));
        using var images = cat(files.Select(f => ImageReader.Read(f).ToTensor()).ToArray(), 0);
        await using var host = await EmbeddedJobHost.StartAsync(DemoPack, 4, CancellationToken.None);
        var pipeline = new PipelineDatasetEditor(host, models.Manifest.Name, models.ImageSize, PipelineDatasetEditor.DefaultJobOptions());
        Assert.Equal(models.ImageSize, pipeline.ImageSize);
        foreach (var edit in Attributes)
        {
            using var expected = inProcess.Edit(images, edit);
            using var actual = pipeline.Edit(images, edit);
            Assert.Equal(expected.Output.shape, actual.Output.shape);
            Assert.Equal(expected.Mask.shape, actual.Mask.shape);
            using var levels = (expected.Output - actual.Output).abs() * 127.5;         // [B,3,S,S] in 8-bit levels
            using var maskDiff = (expected.Mask - actual.Mask).abs();
            using var perItem = levels.mean([1, 2, 3]);
            output.WriteLine($"{edit}: output mean {levels.mean().item<float>():0.000} levels (max {levels.max().item<float>():0.0}); mask mean {maskDiff.mean().item<float>():0.00000} (max {maskDiff.max().item<float>():0.000})");
            // Item by item, so that a shuffled order of the job's items would fail even if the batch means agreed.
            for (int i = 0; i < files.Count; i++)
                Assert.True(perItem[i].item<float>() <= MeanOutputLevelsTolerance, $"{edit} item {i}: mean difference {perItem[i].item<float>()} levels");
            Assert.True(maskDiff.mean().item<float>() <= MeanMaskTolerance);
        }
    }

    [Fact]
    public void Should_refuse_a_coordinator_without_an_api_key_and_an_unknown_engine()
    {
        Assert.Contains("API key", Assert.Throws<ArgumentException>(() => EngineTarget.Parse(null, "http://127.0.0.1:5080", null)).Message);
        Assert.Contains("cannot be combined", Assert.Throws<ArgumentException>(() => EngineTarget.Parse("in-process", "http://127.0.0.1:5080", "k")).Message);
        Assert.Contains("gpu", Assert.Throws<ArgumentException>(() => EngineTarget.Parse("gpu", null, null)).Message);
        Assert.Equal(EditEngine.Coordinator, EngineTarget.Parse(null, "http://127.0.0.1:5080", "k").Engine);
        Assert.Equal(EditEngine.Embedded, EngineTarget.Parse(null, null, null).Engine);
    }
}
