using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Editing.Outputs;

/// <summary>
/// <c>item.json</c>: what was done to one image and with what, so any output can be traced and reproduced — model file
/// hashes, directions (file hash, class, normalisation, strength, α), noise mode and seed, timings, warnings.
/// </summary>
public sealed record ItemProvenance
{
    public string Item { get; init; } = "";
    public string? InputFile { get; init; }
    public string? InputSha256 { get; init; }
    public int ImageSize { get; init; }
    public string ModelPack { get; init; } = "";
    public Dictionary<string, string> ModelSha256 { get; init; } = new();
    public List<EditRecord> Edits { get; init; } = new();
    /// <summary>How the W+ code was found: encoder, or projection with its steps, seed and loss terms.</summary>
    public Pipeline.Editing.Method.InversionRecord? Inversion { get; init; }
    /// <summary>The device each stage ran on (invert, diffcam, deghost): <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public Dictionary<string, string> Devices { get; init; } = new();
    public string Noise { get; init; } = "";
    public ulong Seed { get; init; }
    public string DiffCamWeighting { get; init; } = "";
    public bool Deghosted { get; init; }
    public Dictionary<string, double> StageMilliseconds { get; init; } = new();
    /// <summary>With <c>--align</c>: the photo's size and its faces (boxes, landmarks, quads in source pixels), each edited
    /// in its own folder and pasted back.</summary>
    public PhotoFacesRecord? Faces { get; init; }
    public List<string> Warnings { get; init; } = new();
    public Dictionary<string, string> Outputs { get; init; } = new();
    public string Software { get; init; } = "pipeline " + typeof(ItemProvenance).Assembly.GetName().Version;

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    public static ItemProvenance Read(string path) =>
        JsonSerializer.Deserialize<ItemProvenance>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty");
}

/// <param name="Mask">how the edit's mask was made (Diff-CAM class, borrowed class or class-agnostic)</param>
public sealed record EditRecord(string Attribute, double Strength, double Alpha, int ClassIndex, string Normalization, string DirectionSha256, string? Mask = null);
