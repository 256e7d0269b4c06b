using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;

namespace Pipeline.Editing.Training;

/// <summary>Files a training run writes beside its checkpoint: official network files, run.json, sample grids.</summary>
public static class TrainingOutputs
{
    public const string LogFile = "log.csv";
    public const string EvalLogFile = "eval.csv";
    public const string RunFile = "run.json";
    public const string SamplesDir = "samples";

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = ModelPackManifest.Json.Encoder };

    /// <summary>Writes through a temporary file and renames it, so a reader never sees half a network file.</summary>
    public static string WriteAtomically(string path, Action<string> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var tmp = path + ".tmp";
        write(tmp);
        File.Move(tmp, path, overwrite: true);
        return FileHash.Sha256(path);
    }

    public static void WriteRun(string outDir, JsonObject run) =>
        File.WriteAllText(Path.Combine(outDir, RunFile), run.ToJsonString(Indented) + "\n");

    public static string SamplePath(string outDir, long step) => Path.Combine(outDir, SamplesDir, $"step_{step:D6}.png");

    public static void SaveSample(string outDir, long step, RgbImage sheet)
    {
        var path = SamplePath(outDir, step);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        ImageWriter.SavePng(sheet, path);
    }

    /// <summary>
    /// Replaces one network file of a model pack and refreshes the manifest's hashes, recording the run under
    /// <c>training.&lt;key&gt;</c>; with <paramref name="append"/> the runs under that key form a list, in order, so a
    /// network trained further in several runs keeps the record of each.
    /// </summary>
    public static ModelPackManifest UpdatePack(string packDir, ModelPackManifest manifest, string packFile, string trainedFile, string key, JsonObject run, bool append = false)
    {
        WriteAtomically(Path.Combine(packDir, packFile), tmp => File.Copy(trainedFile, tmp, overwrite: true));
        var training = manifest.Training is { } t ? JsonNode.Parse(t.GetRawText()) as JsonObject ?? new JsonObject() : new JsonObject();
        var record = JsonNode.Parse(run.ToJsonString());
        if (append)
        {
            var runs = training[key] as JsonArray ?? new JsonArray();
            runs.Add(record);
            training[key] = runs;
        }
        else
            training[key] = record;
        var updated = manifest with { Training = JsonDocument.Parse(training.ToJsonString()).RootElement.Clone() };
        return ModelPackWriter.WriteManifest(packDir, updated);
    }

    /// <summary>Settings that differ from the checkpoint's run: the resumed run then no longer repeats an uninterrupted one.</summary>
    public static IEnumerable<string> ResumeMismatches(TrainingCheckpoint.State state, TrainingOptions options)
    {
        foreach (var (key, value) in new[] { ("seed", options.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                     ("batch", options.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)) })
            if (state.Extra.TryGetValue(key, out var saved) && saved != value)
                yield return $"the checkpoint was made with {key} {saved}, this run uses {value}";
    }
}
