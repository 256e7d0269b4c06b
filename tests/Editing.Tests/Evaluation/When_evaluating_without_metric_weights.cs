using System.Text.Json.Nodes;
using Pipeline.Cli.Commands;
using Pipeline.Editing.Evaluation;

namespace Pipeline.Editing.Tests.Evaluation;

public class When_evaluating_without_metric_weights : IDisposable
{
    readonly EvaluationSetup _setup = new();

    [Fact]
    public void Should_still_report_PSNR_and_SSIM_and_say_plainly_what_it_skipped_and_why()
    {
        var options = new EvaluationOptions
        {
            InputDir = _setup.Images,
            Attributes = EvaluatedDataset.Attributes,
            OutDir = _setup.NewOutDir("bare"),
            BatchSize = 3,
        };
        var console = new StringWriter();

        int code = EvalCommand.Run(options, _setup.Models, console, TextWriter.Null);

        Assert.Equal(ExitCodes.Ok, code);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(options.OutDir, MetricsFiles.JsonFile)))!;
        foreach (var m in new[] { "psnr", "ssim" })
        {
            Assert.Equal("computed", json["metrics"]![m]!["status"]!.GetValue<string>());
            Assert.True(double.IsFinite(json["metrics"]![m]!["mean"]!.GetValue<double>()));
        }
        var skipped = json["skipped"]!.AsArray().ToDictionary(s => s!["metric"]!.GetValue<string>(), s => s!["reason"]!.GetValue<string>());
        Assert.Equal(["fid", "lpips", "lpips_masked"], skipped.Keys.Order());
        Assert.Contains("--inception", skipped["fid"]);
        Assert.Contains("--lpips-dir", skipped["lpips"]);
        Assert.Null(json["metrics"]!["fid"]!["mean"]);

        var csv = File.ReadAllLines(Path.Combine(options.OutDir, MetricsFiles.CsvFile));
        Assert.All(csv.Where(l => l.Contains(",fid,")), l => Assert.Contains(",skipped,", l));
        var html = File.ReadAllText(Path.Combine(options.OutDir, ReportPage.FileName));
        Assert.Contains("<ul id=\"skipped\">", html);
        Assert.Contains("pt_inception-2015-12-05-6726825d.pth", html);
        Assert.Contains("skipped fid:", console.ToString());
        Assert.Contains("skipped lpips:", console.ToString());
    }

    public void Dispose() => _setup.Dispose();
}
