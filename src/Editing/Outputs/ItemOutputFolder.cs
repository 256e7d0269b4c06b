using Pipeline.Editing.Imaging;
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

    /// <summary>With <c>--align</c>: the aligned face each face folder's edit starts from.</summary>
    public const string AlignedInputFile = "aligned.png";

    /// <summary>The folder of face <paramref name="index"/> inside a photo's folder.</summary>
    public static string FaceFolder(int index) => $"face{index}";

    /// <summary>The stages whose device item.json records.</summary>
    public static readonly IReadOnlyList<string> Stages = ["invert", "diffcam", "deghost"];

    /// <summary>Every stage on one device (the method in one process).</summary>
    public static IReadOnlyDictionary<string, string> StageDevices(string device) => Stages.ToDictionary(s => s, _ => device);

    /// <summary>An item whose item.json exists is finished: an interrupted run resumes after it.</summary>
    public static bool IsDone(string dir) => File.Exists(Path.Combine(dir, ProvenanceFile));

    /// <param name="input">the input as the method saw it (decoded, fitted to the pack's size) [B,3,S,S]</param>
    /// <param name="index">the item's sample in <paramref name="input"/> and <paramref name="result"/></param>
    /// <param name="stageMilliseconds">the item's share of each stage's time</param>
    /// <param name="devices">the device each stage ran on (<see cref="StageDevices"/>)</param>
    public static void Write(string dir, ItemSource item, Tensor input, EditBatchResult result, int index, ModelPackInfo pack, MethodOptions options,
        InversionRecord? inversion, IReadOnlyDictionary<string, double> stageMilliseconds, IReadOnlyDictionary<string, string> devices)
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
                return new EditRecord(e.Attribute, e.Strength, e.Strength * d.UnitStrength, d.ClassIndex, d.Normalization, d.Sha256, d.Mask);
            }).ToList(),
            Inversion = inversion,
            Devices = new Dictionary<string, string>(devices),
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

    /// <summary>
    /// An aligned photo's folder, once each face's folder (<see cref="FaceFolder"/>) holds its edit: <c>final.png</c> (the
    /// edited faces pasted back), the contact sheet, and an item.json that takes the edit's record from the first face's
    /// (same pack, options and edits for every face) and adds the photo's file, hash and faces, every face's warnings and
    /// the stage times summed over the faces.
    /// </summary>
    public static void WritePhoto(string dir, ItemSource photo, RgbImage original, RgbImage final, PhotoFacesRecord faces, IReadOnlyList<FaceImages> faceImages)
    {
        var faceRecords = faceImages.Select(f => ItemProvenance.Read(Path.Combine(dir, FaceFolder(f.Index), ProvenanceFile))).ToList();
        var files = ItemOutputWriter.WritePhoto(dir, original, final, faceImages);
        foreach (var f in faceImages) files[FaceFolder(f.Index)] = FaceFolder(f.Index) + "/";
        var provenance = faceRecords[0] with
        {
            Item = photo.Name,
            InputFile = Path.GetFileName(photo.InputPath),
            InputSha256 = photo.InputSha256,
            Faces = faces,
            StageMilliseconds = faceRecords.SelectMany(r => r.StageMilliseconds).GroupBy(kv => kv.Key)
                .ToDictionary(g => g.Key, g => Math.Round(g.Sum(kv => kv.Value), 1)),
            Warnings = faces.Notes.Concat(faceRecords.SelectMany((r, k) => r.Warnings.Select(w => $"{FaceFolder(faceImages[k].Index)}: {w}"))).ToList(),
            Outputs = files,
        };
        provenance.Write(Path.Combine(dir, ProvenanceFile));
    }
}
