using Pipeline.Editing.Method;
using static TorchSharp.torch;

namespace Pipeline.Editing.Outputs;

/// <summary>One input image of a folder edit: its item name (the output folder's), the file, the file's sha256 and the
/// edits asked for it.</summary>
public sealed record ItemSource(string Name, string InputPath, string InputSha256, IReadOnlyList<AttributeEdit> Edits);

/// <summary>
/// An item's output folder, written the same way by every engine: the images of <see cref="ItemOutputWriter"/> (the one
/// place stage images become 8-bit PNGs) and <c>item.json</c> (<see cref="ItemProvenance"/>), built here from the model
/// pack, the options and the item's share of the batch result.
/// </summary>
public static class ItemOutputFolder
{
    public const string ProvenanceFile = "item.json";

    /// <summary>An item whose item.json exists is finished: an interrupted run resumes after it.</summary>
    public static bool IsDone(string dir) => File.Exists(Path.Combine(dir, ProvenanceFile));

    /// <param name="input">the input as the method saw it (decoded, fitted to the pack's size) [B,3,S,S]</param>
    /// <param name="index">the item's sample in <paramref name="input"/> and <paramref name="result"/></param>
    /// <param name="stageMilliseconds">the item's share of each stage's time</param>
    public static void Write(string dir, ItemSource item, Tensor input, EditBatchResult result, int index, ModelPackInfo pack, MethodOptions options,
        InversionRecord? inversion, IReadOnlyDictionary<string, double> stageMilliseconds)
    {
        var files = ItemOutputWriter.Write(dir, input, result, index, item.Edits);
        var provenance = new ItemProvenance
        {
            Item = item.Name,
            InputFile = Path.GetFileName(item.InputPath),
            InputSha256 = item.InputSha256,
            ImageSize = pack.ImageSize,
            ModelPack = pack.Name,
            ModelSha256 = new Dictionary<string, string>(pack.ModelSha256),
            Edits = item.Edits.Select(e =>
            {
                var d = pack.Direction(e.Attribute);
                return new EditRecord(e.Attribute, e.Strength, e.Strength * d.UnitStrength, d.ClassIndex, d.Normalization, d.Sha256);
            }).ToList(),
            Inversion = inversion,
            Noise = options.Noise.ToString().ToLowerInvariant(),
            Seed = options.Seed,
            DiffCamWeighting = options.Weighting.ToString(),
            Deghosted = !options.SkipDeghosting,
            StageMilliseconds = stageMilliseconds.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 1)),
            Warnings = result.DegenerateEdits[index]
                .Select(a => $"Diff-CAM for '{a}' was constant: its mask is zero (the edit left this image unchanged there)").ToList(),
            Outputs = files,
        };
        provenance.Write(Path.Combine(dir, ProvenanceFile));
    }
}
