using System.Text.Json;

namespace Pipeline.Editing.Training;

/// <summary>
/// One ghost pair: which edit made it (α, and the strength α / unit strength), and whether its Diff-CAM was degenerate
/// (constant, so an all-zero mask and lq = gt).
/// </summary>
public sealed record GhostItem(string Name, string Source, string Direction, int ClassIndex, double Strength, double Alpha, bool DegenerateMask);

/// <summary>
/// <c>ghost_set.json</c>: how the pairs in <c>lq/</c> (folded-mask composites) and <c>gt/</c> (the originals) were made.
/// </summary>
public sealed record GhostSetManifest
{
    public const string FileName = "ghost_set.json";
    public const string CurrentFormat = "pipeline-ghost-set/1";
    public const string LowQualityDir = "lq";
    public const string TargetDir = "gt";

    public string Format { get; init; } = CurrentFormat;
    public long Seed { get; init; }
    public string Models { get; init; } = "";
    public Dictionary<string, string> PackSha256 { get; init; } = new();
    /// <summary>[lo, hi] of the drawn α; null when each direction used its unit strength.</summary>
    public double[]? AlphaRange { get; init; }
    public string Noise { get; init; } = "";
    public string Composite { get; init; } = "F = T·M_t + I·(1 − M_t), M_t = Diff-CAM mask folded (M > 0.5 → 1 − M), T the edit, I the original";
    public int ImageSize { get; init; }
    public List<GhostItem> Items { get; init; } = new();

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static GhostSetManifest? TryRead(string dir)
    {
        var path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            var m = JsonSerializer.Deserialize<GhostSetManifest>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty");
            if (m.Format != CurrentFormat) throw new InvalidDataException($"{path}: format '{m.Format}' is not '{CurrentFormat}'");
            return m;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})");
        }
    }

    public void Write(string dir) =>
        TrainingOutputs.WriteAtomically(Path.Combine(dir, FileName), tmp => File.WriteAllText(tmp, JsonSerializer.Serialize(this, Json) + "\n"));
}
