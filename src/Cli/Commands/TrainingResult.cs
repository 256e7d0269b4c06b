using System.Text.Json;
using Pipeline.Editing.Method;

namespace Pipeline.Cli.Commands;

/// <summary><c>result.json</c> of a training command: the exact command, seed, wall time over all sittings, metrics and
/// the configuration it trained — what the model pack's manifest records as provenance.</summary>
public sealed record TrainingResult
{
    public const string FileName = "result.json";
    public string Command { get; init; } = "";
    public long Seed { get; init; }
    public long Steps { get; init; }
    public bool Finished { get; init; }
    public double WallSeconds { get; init; }
    public Dictionary<string, double> Metrics { get; init; } = new();
    public JsonElement? Config { get; init; }

    public void Write(string dir) => File.WriteAllText(Path.Combine(dir, FileName), JsonSerializer.Serialize(this, ModelPackManifest.Json) + "\n");

    public static TrainingResult Read(string dir) =>
        JsonSerializer.Deserialize<TrainingResult>(File.ReadAllText(Path.Combine(dir, FileName)), ModelPackManifest.Json)
        ?? throw new InvalidDataException($"{dir}: empty {FileName}");

    /// <summary>The command line as typed (program name first).</summary>
    public static string CommandLine() => "pipeline " + string.Join(" ", Environment.GetCommandLineArgs().Skip(1).Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
}
