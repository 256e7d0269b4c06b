using System.Text.Json.Nodes;
using Pipeline.Distributed.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Distributed.Tests.Services;

/// <summary>
/// <c>pipeline eval dataset --coordinator URL --api-key KEY</c> against the real services: the coordinator and the
/// product's three worker processes (the Editing-backed processors with the demo pack) on RabbitMQ, PostgreSQL and
/// Azurite, on a handful of synthetic scenes; its PSNR/SSIM must match the in-process engine's run of the same command
/// within the tolerance of the pipeline's 8-bit PNG hand-offs between stages (see the Editing.Tests twin of this test).
/// </summary>
[Collection(RealServicesCollection.Name)]
public sealed class When_evaluating_a_dataset_through_the_coordinator(ITestOutputHelper output)
{
    private const int Scenes = 4;
    private const double PsnrToleranceDb = 0.1;
    private const double SsimTolerance = 0.005;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(10);

    [ServiceFact(ServiceVariables.Postgres, ServiceVariables.RabbitMq, ServiceVariables.Blobs)]
    public async Task Should_write_the_metrics_with_the_in_process_numbers()
    {
        using var folder = new TempDirectory("eval-coordinator");
        var scenes = Path.Combine(folder.Path, "scenes");
        await PipelineAsync("synth", "--split", "ood", "--count", $"{Scenes}", "--size", "64", "--seed", "5", "--out", scenes, "--threads", "1");
        var images = Path.Combine(scenes, "images");

        var workerSettings = new Dictionary<string, string>
        {
            ["Models__Directory"] = RepositoryPaths.DemoPack,
            ["Models__Threads"] = "1",
        };
        var distributed = Path.Combine(folder.Path, "distributed");
        await using (var deployment = await Deployment.StartAsync(output, workerSettings, realWorkers: true))
        {
            await PipelineAsync("eval", "dataset", "--input", images, "--attributes", "smile,eyeglasses=-1", "--models", RepositoryPaths.DemoPack,
                "--out", distributed, "--batch", "4", "--threads", "1",
                "--coordinator", deployment.Coordinator.Url.ToString(), "--api-key", Deployment.ApiKey);
        }
        var inProcess = Path.Combine(folder.Path, "in-process");
        await PipelineAsync("eval", "dataset", "--input", images, "--attributes", "smile,eyeglasses=-1", "--models", RepositoryPaths.DemoPack,
            "--out", inProcess, "--batch", "4", "--threads", "1", "--engine", "in-process");

        foreach (var file in new[] { "metrics.json", "metrics.csv", "report.html" })
            Assert.True(File.Exists(Path.Combine(distributed, file)), $"{file} missing");
        var a = JsonNode.Parse(File.ReadAllText(Path.Combine(inProcess, "metrics.json")))!;
        var b = JsonNode.Parse(File.ReadAllText(Path.Combine(distributed, "metrics.json")))!;
        Assert.Contains("through the coordinator", b.ToJsonString());
        foreach (var (metric, tolerance) in new[] { ("psnr", PsnrToleranceDb), ("ssim", SsimTolerance) })
        {
            foreach (var attribute in new[] { "smile=+1", "eyeglasses=-1" })
            {
                double x = a["metrics"]![metric]!["per_attribute"]![attribute]!.GetValue<double>();
                double y = b["metrics"]![metric]!["per_attribute"]![attribute]!.GetValue<double>();
                output.WriteLine($"{metric} {attribute}: in-process {x:G6}, coordinator {y:G6}");
                Assert.True(Math.Abs(x - y) <= tolerance, $"{metric} {attribute}: in-process {x}, coordinator {y}");
            }
        }
    }

    private async Task PipelineAsync(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(arguments, CommandTimeout);
        output.WriteLine($"$ pipeline {string.Join(' ', arguments)}\n{stdout}{stderr}");
        Assert.True(exitCode == 0, $"pipeline {arguments[0]} exited with {exitCode}: {stderr}");
    }
}
