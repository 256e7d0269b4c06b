using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Outputs;
using static TorchSharp.torch;

namespace Pipeline.Cli.Engines;

/// <summary>One entry of the input and the edits asked for it; <paramref name="Refusal"/> says why an entry that cannot
/// be an image (a directory, a FIFO, a link leading outside the folder, an empty file…) is not read.</summary>
public sealed record EditItem(string Name, string Path, IReadOnlyList<AttributeEdit> Edits, string? Refusal = null, bool Skipped = false);

/// <summary>How one item ended.</summary>
public sealed record ItemOutcome(string Name, bool Succeeded, string? Error, string? OutputDir, bool Skipped = false)
{
    public bool Failed => !Succeeded && !Skipped;
}

/// <summary>
/// Runs the method over a folder in process (<c>--engine in-process</c>): reads and fits the items one at a time as
/// the run goes (a bad one fails alone, with a one-line reason), runs a tensor batch of items with the same edits as
/// soon as it is full (<see cref="EditMethod"/>), and writes each item's folder (<see cref="ItemOutputFolder"/>), so
/// memory holds at most a batch per edit chain and the first batch starts at once. Already-finished items (their
/// item.json exists) are skipped, so an interrupted run resumes; a cancelled run stops after the batch in progress.
/// </summary>
public sealed class FolderEditRunner(EditModels models, MethodOptions options, SizeMode sizeMode, ImageLimits limits, string outDir)
{
    readonly ModelPackInfo _pack = ModelPackInfo.From(models);

    public List<ItemOutcome> Run(IReadOnlyList<EditItem> items, Action<ItemOutcome> onItem) => Run(items, onItem, CancellationToken.None);

    public List<ItemOutcome> Run(IReadOnlyList<EditItem> items, Action<ItemOutcome> onItem, CancellationToken cancellation)
    {
        var method = new EditMethod(models, options);
        var outcomes = new List<ItemOutcome>();
        void Done(ItemOutcome o) { outcomes.Add(o); onItem(o); }

        var target = DecodeTarget.ForModel(models.ImageSize, sizeMode);
        var pending = new Dictionary<string, List<(ItemSource Item, EditChain Chain, Tensor Image)>>(StringComparer.Ordinal);
        try
        {
            foreach (var item in items)
            {
                if (cancellation.IsCancellationRequested) return outcomes;
                if (item.Refusal is { } refusal) { Done(new ItemOutcome(item.Name, false, refusal, null, item.Skipped)); continue; }
                var dir = System.IO.Path.Combine(outDir, item.Name);
                if (ItemOutputFolder.IsDone(dir)) { Done(new ItemOutcome(item.Name, true, null, dir)); continue; }
                try
                {
                    var chain = EditChain.Resolve(models, item.Edits);
                    using var raw = ImageReader.Read(item.Path, target, limits).ToTensor();
                    var fitted = SizePolicy.Fit(raw, models.ImageSize, sizeMode, System.IO.Path.GetFileName(item.Path));
                    if (!pending.TryGetValue(chain.Key, out var group)) pending[chain.Key] = group = new();
                    group.Add((new ItemSource(item.Name, item.Path, FileHash.Sha256(item.Path), item.Edits), chain, fitted));
                    if (group.Count < Math.Max(1, options.BatchSize)) continue;
                    pending.Remove(chain.Key);
                    RunAndRelease(method, group, Done);
                }
                catch (Exception e) when (e is ImageDecodeException or ArgumentException or IOException or UnauthorizedAccessException)
                {
                    Done(new ItemOutcome(item.Name, false, ImageDecodeException.ReasonOf(e), null));
                }
            }
            foreach (var key in pending.Keys.ToList())
            {
                if (cancellation.IsCancellationRequested) return outcomes;
                var group = pending[key];
                pending.Remove(key);
                RunAndRelease(method, group, Done);
            }
            return outcomes;
        }
        finally
        {
            foreach (var p in pending.Values.SelectMany(g => g)) p.Image.Dispose();
        }
    }

    void RunAndRelease(EditMethod method, List<(ItemSource Item, EditChain Chain, Tensor Image)> group, Action<ItemOutcome> done)
    {
        try
        {
            RunBatch(method, group.ToArray(), done);
        }
        finally
        {
            foreach (var p in group) p.Image.Dispose();
        }
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
                ItemOutputFolder.Write(dir, item, images, result, i, _pack, options, method.Invert.Describe(), stageMs,
                    ItemOutputFolder.StageDevices(models.Device.Name));
                done(new ItemOutcome(item.Name, true, null, dir));
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            foreach (var (item, _, _) in batch) done(new ItemOutcome(item.Name, false, ImageDecodeException.ReasonOf(e), null));
        }
    }

    /// <summary>Every entry of <paramref name="input"/> (a folder, or one file) as an item, in name order: the ones that
    /// cannot be images carry their refusal (<see cref="InputFolder"/>), so each gets its line.</summary>
    public static List<EditItem> ListFolder(string input, IReadOnlyList<AttributeEdit> edits, IReadOnlyDictionary<string, IReadOnlyList<AttributeEdit>>? perItem,
        ImageLimits? limits = null) =>
        InputFolder.List(input, limits ?? ImageLimits.Default).Select(entry =>
        {
            var own = perItem is not null && perItem.TryGetValue(entry.FileName, out var e) ? e : edits;
            return new EditItem(System.IO.Path.GetFileNameWithoutExtension(entry.Path), entry.Path, own, entry.Refusal, entry.Skipped);
        }).ToList();
}
