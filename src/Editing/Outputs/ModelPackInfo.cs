using Pipeline.Editing.Method;

namespace Pipeline.Editing.Outputs;

/// <summary>A direction as item.json records it.</summary>
public sealed record DirectionInfo(int ClassIndex, double UnitStrength, string Normalization, string Sha256, string? Mask = null);

/// <summary>What item.json says about the model pack (name, size, network and direction hashes), taken from the loaded
/// models, or read from the pack folder when the models run elsewhere (<c>--coordinator</c>).</summary>
public sealed record ModelPackInfo(string Name, int ImageSize, IReadOnlyDictionary<string, string> ModelSha256,
    IReadOnlyDictionary<string, DirectionInfo> Directions)
{
    public static ModelPackInfo From(EditModels models) => new(
        models.Manifest.Name,
        models.ImageSize,
        models.FileHashes.Where(kv => !kv.Key.StartsWith("direction:", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value),
        models.Directions.ToDictionary(kv => kv.Key, kv => new DirectionInfo(kv.Value.ClassIndex, kv.Value.UnitStrength,
            Normalization(models.Manifest, kv.Key), kv.Value.Sha256, kv.Value.Mask.Description)));

    /// <summary>The pack's manifest (or the official layout) without loading a network; hashes the manifest does not
    /// record are computed.</summary>
    public static ModelPackInfo Read(string directory)
    {
        var m = PackDirections.ManifestOf(directory);
        string Hash(string file, string? recorded) => recorded ?? FileHash.Sha256(Path.Combine(directory, file));
        var networks = new Dictionary<string, string>();
        // A pack without an encoder (inverted by projection) names its generator instead.
        if (m.HasEncoder) networks["encoder"] = Hash(m.Encoder.File, m.Encoder.Sha256);
        foreach (var other in m.OtherEncoders ?? []) networks[$"encoder:{other.File}"] = Hash(other.File, other.Sha256);
        if (m.Generator is { File: { Length: > 0 } generatorFile } generator) networks["generator"] = Hash(generatorFile, generator.Sha256);
        networks["diffcam"] = Hash(m.DiffCam.File, m.DiffCam.Sha256);
        networks["deghosting"] = Hash(m.Deghosting.File, m.Deghosting.Sha256);
        return new ModelPackInfo(m.Name, m.ImageSize, networks,
            m.Directions.ToDictionary(d => d.Name, d => new DirectionInfo(d.ClassIndex, d.UnitStrength, Normalization(m, d.Name), Hash(d.File, d.Sha256),
                d.Mask is null ? DirectionMask.OwnClass(d.ClassIndex).Description : $"mask '{d.Mask}' (resolved where the models load)")));
    }

    public DirectionInfo Direction(string attribute) =>
        Directions.TryGetValue(attribute, out var d) ? d : throw new UnknownAttributeException(attribute, Directions.Keys);

    static string Normalization(ModelPackManifest m, string attribute) =>
        (m.Directions.FirstOrDefault(x => x.Name == attribute)?.Normalization ?? DirectionNormalization.Frobenius).ToString().ToLowerInvariant();
}
