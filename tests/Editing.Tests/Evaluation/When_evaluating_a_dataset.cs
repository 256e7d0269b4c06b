using System.Text.Json.Nodes;
using Pipeline.Cli.Commands;
using Pipeline.Editing.Evaluation;
using Xunit.Abstractions;

namespace Pipeline.Editing.Tests.Evaluation;

[Collection(EvaluatedDatasetCollection.Name)]
public class When_evaluating_a_dataset(EvaluatedDataset run, ITestOutputHelper output)
{
    [Fact]
    public void Should_compute_every_metric_per_attribute_and_their_mean()
    {
        output.WriteLine($"eval of {EvaluationSetup.ImageCount} images × {EvaluatedDataset.Attributes.Length} attributes: {run.Seconds:0.0} s");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        var metrics = run.Metrics["metrics"]!;
        foreach (var m in MetricsFiles.Metrics)
        {
            Assert.Equal("computed", metrics[m]!["status"]!.GetValue<string>());
            var perAttribute = metrics[m]!["per_attribute"]!.AsObject();
            Assert.Equal(EvaluatedDataset.Attributes.Select(a => a.ToString()), perAttribute.Select(p => p.Key));
            var values = perAttribute.Select(p => p.Value!.GetValue<double>()).ToList();
            Assert.All(values, v => Assert.True(double.IsFinite(v), $"{m} = {v}"));
            Assert.Equal(values.Average(), metrics[m]!["mean"]!.GetValue<double>(), 12);
        }
        Assert.True(metrics["fid"]!["mean"]!.GetValue<double>() > 0, "edited images should be farther from the originals than 0");
        Assert.Empty(run.Metrics["skipped"]!.AsArray());
        Assert.Equal(PaperTable1.Rows.Count + 1, run.Metrics["table1"]!.AsArray().Count);
    }

    [Fact]
    public void Should_write_the_csv_with_the_same_values_as_the_json()
    {
        var lines = File.ReadAllLines(Path.Combine(run.OutDir, MetricsFiles.CsvFile));
        Assert.Equal("scope,metric,value,status,reason", lines[0]);
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            var node = run.Metrics["metrics"]![cells[1]]!;
            var expected = cells[0] == "mean" ? node["mean"]! : node["per_attribute"]![cells[0]]!;
            Assert.Equal(expected.GetValue<double>(), double.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Equal(1 + MetricsFiles.Metrics.Length * (EvaluatedDataset.Attributes.Length + 1), lines.Length);
    }

    [Fact]
    public void Should_save_sample_inputs_masks_and_outputs_for_the_report()
    {
        var samples = run.Metrics["samples"]!.AsArray();
        Assert.Equal(EvaluatedDataset.Attributes.Length * run.Options.Samples, samples.Count);
        foreach (var s in samples)
            foreach (var key in new[] { "input", "mask", "output" })
                Assert.True(File.Exists(Path.Combine(run.OutDir, s![key]!.GetValue<string>())), $"{key} of {s["item"]} missing");
        Assert.True(File.Exists(Path.Combine(run.OutDir, ReportPage.FileName)));
    }

    /// <summary>Through the embedded pipeline, as the shared run and the command's default engine: the jobs of the
    /// resumed run start where the state says, and the numbers equal the uninterrupted run's.</summary>
    [Fact]
    public async Task Should_resume_an_interrupted_run_to_the_same_numbers()
    {
        var options = run.Options with { OutDir = run.Setup.NewOutDir("resumed"), StateSaveInterval = TimeSpan.Zero };
        await using var host = await Pipeline.Cli.Engines.EmbeddedJobHost.StartAsync(run.Setup.Models, options.BatchSize, CancellationToken.None);
        var editor = new Pipeline.Cli.Evaluation.PipelineDatasetEditor(host, "tiny-test", Pipeline.Editing.Tests.Method.TinyModelPack.ImageSize,
            Pipeline.Cli.Evaluation.PipelineDatasetEditor.DefaultJobOptions());
        using var cancel = new CancellationTokenSource();
        int batches = 0;
        using (var first = new DatasetEvaluation(options, editor))
            Assert.Throws<OperationCanceledException>(() => first.Run(p =>
            {
                if (p.Pass == EvaluatedDataset.Attributes[0].ToString() && ++batches == 1) cancel.Cancel();
            }, cancel.Token));
        var saved = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(options.OutDir, "state", EvaluationState.FileName)));
        Assert.Equal(options.BatchSize, saved.RootElement.GetProperty("Passes").GetProperty(EvaluatedDataset.Attributes[0].ToString()).GetProperty("Done").GetInt32());

        var resumedPasses = new List<EvaluationProgress>();
        using (var second = new DatasetEvaluation(options, editor))
        {
            var result = second.Run(resumedPasses.Add);
            MetricsFiles.Write(options.OutDir, result);
        }
        var resumed = JsonNode.Parse(File.ReadAllText(Path.Combine(options.OutDir, MetricsFiles.JsonFile)))!;

        Assert.DoesNotContain(resumedPasses, p => p.Pass == DatasetEvaluation.RealPass);
        Assert.Equal(options.BatchSize * 2, resumedPasses.First().Done);
        foreach (var m in MetricsFiles.Metrics)
            foreach (var a in EvaluatedDataset.Attributes)
            {
                double full = run.Metrics["metrics"]![m]!["per_attribute"]![a.ToString()]!.GetValue<double>();
                double again = resumed["metrics"]![m]!["per_attribute"]![a.ToString()]!.GetValue<double>();
                Assert.True(Math.Abs(full - again) <= 1e-9 * Math.Max(1, Math.Abs(full)), $"{m}/{a}: {full} vs resumed {again}");
            }
    }
}
