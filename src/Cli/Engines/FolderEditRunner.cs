using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Outputs;
using static TorchSharp.torch;

namespace Pipeline.Cli.Engines;

/// <summary>One input file and the edits asked for it.</summary>
public sealed record EditItem(string Name, string Path, IReadOnlyList<AttributeEdit> Edits);

/// <summary>How one item ended.</summary>
public sealed record ItemOutcome(string Name, bool Succeeded, string? Error, string? OutputDir);

/// <summary>
/// Runs the method over a folder in process (<c>--engine in-process</c>): decodes and fits each item once (a bad one
/// fails alone, with a one-line reason), groups items with the same edits into tensor batches, runs
/// <see cref="EditMethod"/>, and writes each item's folder (<see cref="ItemOutputFolder"/>). Already-finished items
/// (their item.json exists) are skipped, so an interrupted run resumes.
/// </summary>
public sealed class FolderEditRunner(EditModels models, MethodOptions options, SizeMode sizeMode, ImageLimits limits, string outDir)
{
    public static readonly string[] ImageExtensions = { ".png", ".jpg", ".jpeg", ".webp", ".bmp" };

    readonly ModelPackInfo _pack = ModelPackInfo.From(models);

    public List<ItemOutcome> Run(IReadOnlyList<EditItem> items, Action<ItemOutcome> onItem)
    {
        var method = new EditMethod(models, options);
        var outcomes = new List<ItemOutcome>();
        void Done(ItemOutcome o) { outcomes.Add(o); onItem(o); }

        var pending = new List<(ItemSource Item, EditChain Chain, Tensor Image)>();
        foreach (var item in items)
        {
            var dir = System.IO.Path.Combine(outDir, item.Name);
            if (ItemOutputFolder.IsDone(dir)) { Done(new ItemOutcome(item.Name, true, null, dir)); continue; }
            try
            {
                var chain = EditChain.Resolve(models, item.Edits);
                using var raw = ImageReader.Read(item.Path, limits).ToTensor();
                var fitted = SizePolicy.Fit(raw, models.ImageSize, sizeMode, System.IO.Path.GetFileName(item.Path));
                pending.Add((new ItemSource(item.Name, item.Path, FileHash.Sha256(item.Path), item.Edits), chain, fitted));
            }
            catch (Exception e) when (e is ImageDecodeException or ArgumentException or IOException)
            {
                Done(new ItemOutcome(item.Name, false, OneLine(e), null));
            }
        }

        foreach (var group in pending.GroupBy(p => p.Chain.Key, StringComparer.Ordinal))
            foreach (var batch in group.Chunk(Math.Max(1, options.BatchSize)))
                RunBatch(method, batch, Done);
        foreach (var p in pending) p.Image.Dispose();
        return outcomes;
    }

    void RunBatch(EditMethod method, (ItemSource Item, EditChain Chain, Tensor Image)[] batch, Action<ItemOutcome> done)
    {
        try
        {
            using var scope = NewDisposeScope();
            var images = cat(batch.Select(b => b.Image).ToArray(), 0);
            using var result = method.Run(images, batch[0].Item.Edits);
            var stageMs = result.StageMilliseconds.ToDictionary(kv => kv.Key, kv => kv.Value / batch.Length);
            for (int i = 0; i < batch.Length; i++)
            {
                var item = batch[i].Item;
                var dir = System.IO.Path.Combine(outDir, item.Name);
                ItemOutputFolder.Write(dir, item, images, result, i, _pack, options, method.Invert.Describe(), stageMs);
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
