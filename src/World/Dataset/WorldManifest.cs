using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.World.Dataset;

/// <summary>world.json: what produced a folder, so that a resumed run can refuse to mix two different worlds.</summary>
public sealed record WorldManifest(
    [property: JsonPropertyName("renderer")] string Renderer,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("size")] int Size,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("split")] string Split,
    [property: JsonPropertyName("attributes")] IReadOnlyList<string> Attributes,
    [property: JsonPropertyName("change_mask_tolerance")] int ChangeMaskTolerance)
{
    static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static WorldManifest Read(string path) =>
        JsonSerializer.Deserialize<WorldManifest>(File.ReadAllText(path), Options)
        ?? throw new InvalidDataException($"{path}: empty world manifest");

    public void Write(string path)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this, Options) + "\n");
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Same world (count aside): files already in the folder can be kept.</summary>
    public bool SameWorldAs(WorldManifest other) =>
        Renderer == other.Renderer && Seed == other.Seed && Size == other.Size && Split == other.Split
        && Attributes.SequenceEqual(other.Attributes) && ChangeMaskTolerance == other.ChangeMaskTolerance;
}
