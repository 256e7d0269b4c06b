using Pipeline.Editing.Networks.Psp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Training;

/// <summary>
/// The official DA prior: images of a folder (sorted; the first <c>evalCount</c> held out), area-resized to the
/// encoder's input and inverted by the frozen pSp. The encoder is deterministic, so each image is encoded once, when
/// a batch first needs it, and its W+ code is kept.
/// </summary>
public sealed class EncodedImagePrior : ILatentPrior
{
    readonly Psp _psp;
    readonly List<string> _train;
    readonly BatchOrder _order;
    readonly Dictionary<int, Tensor> _cache = new();
    readonly int _chunk;

    public EncodedImagePrior(Psp psp, string folder, int evalCount, int batch, long seed)
    {
        _psp = psp;
        _chunk = batch;
        var files = TrainingImages.List(folder);
        if (evalCount < 0) throw new ArgumentException($"the held-out count must be ≥ 0, got {evalCount}");
        if (files.Count < evalCount + batch)
            throw new ArgumentException($"{folder} holds {files.Count} image(s): {evalCount} are held out for evaluation and a batch needs {batch} more");
        var eval = files.Take(evalCount).ToList();
        _train = files.Skip(evalCount).ToList();
        _order = new BatchOrder(_train.Count, batch, shuffle: true, seed);
        EvalNames = eval.Select(Path.GetFileNameWithoutExtension).Select(n => n!).ToList();
        EvalLatents = eval.Count == 0 ? zeros(0, psp.Config.NStyles, psp.Config.StyleDim) : EncodeFiles(eval, batch);
        Description = $"pSp inversions of {files.Count} image(s) in {folder} ({_train.Count} trained on, {eval.Count} held out)";
    }

    public string Description { get; }
    public Tensor EvalLatents { get; }
    public IReadOnlyList<string> EvalNames { get; }
    public int TrainCount => _train.Count;

    public Tensor TrainBatch(long step)
    {
        var indices = _order.At(step);
        foreach (var i in indices)
        {
            if (_cache.ContainsKey(i)) continue;
            // Encoded in fixed chunks, whatever batch first asks: a convolution's float result depends on its batch,
            // and a resumed run must see the codes an uninterrupted one saw.
            int start = i / _chunk * _chunk, end = Math.Min(_train.Count, start + _chunk);
            using var codes = EncodeFiles(_train.GetRange(start, end - start), _chunk);
            for (int j = start; j < end; j++) _cache[j] = codes[j - start].clone().DetachFromDisposeScope();
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
