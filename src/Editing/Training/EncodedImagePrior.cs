using Pipeline.Editing.Networks.Psp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Training;

/// <summary>
/// The official DA prior: images of a folder (sorted; the first <c>evalCount</c> held out), area-resized to the
/// encoder's input and inverted by the frozen pSp. The encoder is deterministic, so each image is encoded once, when
/// its first batch needs it, and its W+ code is kept.
/// </summary>
public sealed class EncodedImagePrior : ILatentPrior
{
    readonly Psp _psp;
    readonly List<string> _train;
    readonly BatchOrder _order;
    readonly Dictionary<int, Tensor> _cache = new();

    public EncodedImagePrior(Psp psp, string folder, int evalCount, int batch, long seed)
    {
        _psp = psp;
        var files = TrainingImages.List(folder);
        if (evalCount < 0) throw new ArgumentException($"the held-out count must be ≥ 0, got {evalCount}");
        if (files.Count < evalCount + batch)
            throw new ArgumentException($"{folder} holds {files.Count} image(s): {evalCount} are held out for evaluation and a batch needs {batch} more");
        var eval = files.Take(evalCount).ToList();
        _train = files.Skip(evalCount).ToList();
        _order = new BatchOrder(_train.Count, batch, shuffle: true, seed);
        EvalNames = eval.Select(Path.GetFileNameWithoutExtension).Select(n => n!).ToList();
        EvalLatents = eval.Count == 0 ? zeros(0, psp.Config.NStyles, psp.Config.StyleDim) : EncodeFiles(eval, batch);
        Description = $"pSp inversions of {files.Count} image(s) in {Path.GetFullPath(folder)} ({_train.Count} trained on, {eval.Count} held out)";
    }

    public string Description { get; }
    public Tensor EvalLatents { get; }
    public IReadOnlyList<string> EvalNames { get; }
    public int TrainCount => _train.Count;

    public Tensor TrainBatch(long step)
    {
        var indices = _order.At(step);
        var missing = indices.Where(i => !_cache.ContainsKey(i)).Distinct().ToList();
        if (missing.Count > 0)
        {
            using var codes = EncodeFiles(missing.Select(i => _train[i]).ToList(), missing.Count);
            for (int j = 0; j < missing.Count; j++) _cache[missing[j]] = codes[j].clone().DetachFromDisposeScope();
        }
        return stack(indices.Select(i => _cache[i]).ToList(), 0);
    }

    Tensor EncodeFiles(IReadOnlyList<string> files, int chunk)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var codes = new List<Tensor>();
        foreach (var part in files.Chunk(Math.Max(1, chunk)))
        {
            var images = TrainingImages.LoadBatch(part, _psp.Config.InputSize);   // [b,3,in,in]
            codes.Add(_psp.Encode(images));                                       // [b,n,512]
        }
        return cat(codes, 0).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        EvalLatents.Dispose();
        foreach (var t in _cache.Values) t.Dispose();
        _cache.Clear();
    }
}
