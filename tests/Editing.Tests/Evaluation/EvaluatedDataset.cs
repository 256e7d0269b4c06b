using System.Diagnostics;
using System.Text.Json.Nodes;
using Pipeline.Cli.Commands;
using Pipeline.Editing.Evaluation;
using Pipeline.Editing.Method;

namespace Pipeline.Editing.Tests.Evaluation;

/// <summary>One complete evaluation with every metric, run once and shared by the tests that read its outputs.</summary>
public sealed class EvaluatedDataset : IDisposable
{
    public static readonly AttributeEdit[] Attributes = [new("smile", 1), new("eyeglasses", -1)];

    public EvaluatedDataset()
    {
        Options = new EvaluationOptions
        {
            InputDir = Setup.Images,
            Attributes = Attributes,
            OutDir = Setup.NewOutDir("full"),
            InceptionFile = Setup.InceptionFile,
            LpipsDir = Setup.LpipsDir,
            BatchSize = 2,
            Samples = 3,
        };
        var console = new StringWriter();
        var sw = Stopwatch.StartNew();
        ExitCode = EvalCommand.Run(Options, Setup.Models, console, TextWriter.Null);
        Seconds = sw.Elapsed.TotalSeconds;
        Console = console.ToString();
        Metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(Options.OutDir, MetricsFiles.JsonFile)))!;
    }

    public EvaluationSetup Setup { get; } = new();
    public EvaluationOptions Options { get; }
    public int ExitCode { get; }
    public double Seconds { get; }
    public string Console { get; }
    public JsonNode Metrics { get; }
    public string OutDir => Options.OutDir;

    public void Dispose() => Setup.Dispose();
}

/// <summary>The test classes that read one shared evaluation (it takes tens of seconds, so it runs once).</summary>
[CollectionDefinition(Name)]
public sealed class EvaluatedDatasetCollection : ICollectionFixture<EvaluatedDataset>
{
    public const string Name = "evaluated dataset";
}
