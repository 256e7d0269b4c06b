using System.Diagnostics;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Outputs;
using static TorchSharp.torch;

namespace Pipeline.Cli.Editing;

/// <summary>One input file and the edits asked for it.</summary>
public sealed record EditItem(string Name, string Path, IReadOnlyList<AttributeEdit> Edits);

/// <summary>How one item ended.</summary>
public sealed record ItemOutcome(string Name, bool Succeeded, string? Error, string? OutputDir);

/// <summary>
/// Runs the method over a folder in process: decodes each item (a bad one fails alone, with a one-line reason), groups
/// items with the same edits into tensor batches, runs <see cref="EditMethod"/>, and writes each item's outputs.
/// Already-finished items (their item.json exists) are skipped, so an interrupted run resumes.
/// </summary>
public sealed class FolderEditRunner(EditModels models, MethodOptions options, SizeMode sizeMode, ImageLimits limits, string outDir)
{
    public static readonly string[] ImageExtensions = { ".png", ".jpg", ".jpeg", ".webp", ".bmp" };

    public List<ItemOutcome> Run(IReadOnlyList<EditItem> items, Action<ItemOutcome> onItem)
    {
        var method = new EditMethod(models, options);
        var outcomes = new List<ItemOutcome>();
        void Done(ItemOutcome o) { outcomes.Add(o); onItem(o); }

        var pending = new List<(EditItem Item, Tensor Image, string Sha)>();
        foreach (var item in items)
        {
            var dir = System.IO.Path.Combine(outDir, item.Name);
            if (File.Exists(System.IO.Path.Combine(dir, "item.json"))) { Done(new ItemOutcome(item.Name, true, null, dir)); continue; }
            try
            {
                foreach (var e in item.Edits)
                {
                    models.Direction(e.Attribute);
                    if (double.IsNaN(e.Strength) || double.IsInfinity(e.Strength)) throw new ArgumentException($"edit {e.Attribute}: strength must be a finite number, got {e.Strength}");
                }
                var img = ImageReader.Read(item.Path, limits);
                using var raw = img.ToTensor();
                var fitted = SizePolicy.Fit(raw, models.ImageSize, sizeMode, System.IO.Path.GetFileName(item.Path));
                pending.Add((item, fitted, FileHash.Sha256(item.Path)));
            }
            catch (Exception e) when (e is ImageDecodeException or ArgumentException or IOException)
            {
                Done(new ItemOutcome(item.Name, false, OneLine(e), null));
            }
        }

        foreach (var group in pending.GroupBy(p => string.Join(";", p.Item.Edits.Select(e => e.ToString()))))
            foreach (var batch in group.Chunk(Math.Max(1, options.BatchSize)))
                RunBatch(method, batch, Done);
        foreach (var p in pending) p.Image.Dispose();
        return outcomes;
    }

    void RunBatch(EditMethod method, (EditItem Item, Tensor Image, string Sha)[] batch, Action<ItemOutcome> done)
    {
        var edits = batch[0].Item.Edits;
        try
        {
            using var scope = NewDisposeScope();
            var images = cat(batch.Select(b => b.Image).ToArray(), 0);
            var sw = Stopwatch.StartNew();
            using var result = method.Run(images, edits);
            for (int i = 0; i < batch.Length; i++)
            {
                var (item, _, sha) = batch[i];
                var dir = System.IO.Path.Combine(outDir, item.Name);
                var files = ItemOutputWriter.Write(dir, images, result, i, edits);
                var prov = new ItemProvenance
                {
                    Item = item.Name,
                    InputFile = System.IO.Path.GetFileName(item.Path),
                    InputSha256 = sha,
                    ImageSize = models.ImageSize,
                    ModelPack = models.Manifest.Name,
                    ModelSha256 = models.FileHashes.Where(kv => !kv.Key.StartsWith("direction:", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value),
                    Edits = edits.Select(e =>
                    {
                        var d = models.Direction(e.Attribute);
                        var entry = models.Manifest.Directions.FirstOrDefault(x => x.Name == e.Attribute);
                        return new EditRecord(e.Attribute, e.Strength, e.Strength * d.UnitStrength, d.ClassIndex, (entry?.Normalization ?? DirectionNormalization.Frobenius).ToString().ToLowerInvariant(), d.Sha256);
                    }).ToList(),
                    Inversion = method.Invert.Describe(),
                    Noise = options.Noise.ToString().ToLowerInvariant(),
                    Seed = options.Seed,
                    DiffCamWeighting = options.Weighting.ToString(),
                    Deghosted = !options.SkipDeghosting,
                    StageMilliseconds = result.StageMilliseconds.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value / batch.Length, 1)),
                    Warnings = result.DegenerateEdits[i].Select(a => $"Diff-CAM for '{a}' was constant: its mask is zero (the edit left this image unchanged there)").ToList(),
                    Outputs = files,
                };
                prov.Write(System.IO.Path.Combine(dir, "item.json"));
                done(new ItemOutcome(item.Name, true, null, dir));
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            foreach (var (item, _, _) in batch) done(new ItemOutcome(item.Name, false, OneLine(e), null));
        }
    }

    static string OneLine(Exception e) => e.Message.ReplaceLineEndings(" ");

    public static List<EditItem> ListFolder(string input, IReadOnlyList<AttributeEdit> edits, IReadOnlyDictionary<string, IReadOnlyList<AttributeEdit>>? perItem)
    {
        var files = File.Exists(input)
            ? new[] { input }
            : Directory.EnumerateFiles(input).Where(f => ImageExtensions.Contains(System.IO.Path.GetExtension(f).ToLowerInvariant()) || perItem?.ContainsKey(System.IO.Path.GetFileName(f)) == true)
                .OrderBy(f => f, StringComparer.Ordinal).ToArray();
        return files.Select(f =>
        {
            var file = System.IO.Path.GetFileName(f);
            var own = perItem is not null && perItem.TryGetValue(file, out var e) ? e : edits;
            return new EditItem(System.IO.Path.GetFileNameWithoutExtension(f), f, own);
        }).ToList();
    }
}
