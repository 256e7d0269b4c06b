using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Editing.Evaluation;

/// <summary>Running sums of the per-image metrics of one attribute (their means are the reported values).</summary>
public sealed class MetricSums
{
    public long Images { get; set; }
    public double Lpips { get; set; }
    public long LpipsImages { get; set; }
    public double LpipsMasked { get; set; }
    public long LpipsMaskedImages { get; set; }
    /// <summary>Images whose mask covers every pixel, so that no region outside it is left to compare.</summary>
    public long LpipsMaskedEmpty { get; set; }
    public double Psnr { get; set; }
    public double Ssim { get; set; }
}

/// <summary>How far one pass over the images (the originals, or one attribute) has got.</summary>
public sealed class PassState
{
    public int Done { get; set; }
    /// <summary>The feature statistics file written with this progress (versioned, so the pair is consistent).</summary>
    public string? StatsFile { get; set; }
    public MetricSums Sums { get; set; } = new();
}

/// <summary>
/// <c>OUT/state/progress.json</c>: per-pass progress and sums, written atomically after the statistics file it names,
/// so an interrupted run resumes where its last save left it. The fingerprint ties it to the images and settings.
/// </summary>
public sealed class EvaluationState
{
    public const string FileName = "progress.json";
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string Fingerprint { get; set; } = "";
    public Dictionary<string, PassState> Passes { get; set; } = new(StringComparer.Ordinal);

    public PassState Pass(string name)
    {
        if (!Passes.TryGetValue(name, out var p)) Passes[name] = p = new PassState();
        return p;
    }

    public static EvaluationState LoadOrCreate(string dir, string fingerprint)
    {
        var path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) return new EvaluationState { Fingerprint = fingerprint };
        var state = JsonSerializer.Deserialize<EvaluationState>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path} is empty");
        if (state.Fingerprint != fingerprint)
            throw new InvalidOperationException(
                $"{path} belongs to a run with other images or settings; delete {dir} to start over, or use another --out");
        return state;
    }

    public void Save(string dir)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, FileName);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
