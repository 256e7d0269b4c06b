using TorchSharp;
using static TorchSharp.torch;
using Pipeline.Editing.Runtime;

namespace Pipeline.Editing.Training;

/// <summary>
/// A training set held in memory as 8-bit pixels <c>[N,3,S,S]</c> with binary labels <c>[N,A]</c> (attribute order
/// given by <see cref="AttributeNames"/>). Batches are drawn by <see cref="StepRandom"/>, so a resumed run sees the
/// same batches as an uninterrupted one.
/// </summary>
public sealed class LabelledImageSet : IDisposable
{
    /// <summary>Bytes 0..255 to [−1,1]: x / 127.5 − 1.</summary>
    static readonly Scalar HalfByteRange = 127.5;

    readonly Tensor _pixels;   // [N,3,S,S] uint8
    readonly Tensor _labels;   // [N,A] float32

    public LabelledImageSet(Tensor pixels, Tensor labels, IReadOnlyList<string> attributeNames)
    {
        if (pixels.dim() != 4 || pixels.shape[1] != 3 || pixels.shape[2] != pixels.shape[3] || pixels.dtype != ScalarType.Byte)
            throw new ArgumentException($"training pixels must be uint8 [N,3,S,S], got {pixels.dtype} [{string.Join(",", pixels.shape)}]");
        if (labels.dim() != 2 || labels.shape[0] != pixels.shape[0] || labels.shape[1] != attributeNames.Count)
            throw new ArgumentException($"training labels must be [{pixels.shape[0]},{attributeNames.Count}], got [{string.Join(",", labels.shape)}]");
        _pixels = pixels.DetachFromDisposeScope();
        _labels = labels.to_type(ScalarType.Float32).DetachFromDisposeScope();
        AttributeNames = attributeNames;
    }

    public int Count => (int)_pixels.shape[0];
    public int ImageSize => (int)_pixels.shape[2];
    public IReadOnlyList<string> AttributeNames { get; }

    /// <summary>A random batch for this step (from the first <paramref name="firstItems"/> items when given): images in [−1,1] <c>[B,3,S,S]</c> and labels <c>[B,A]</c>.</summary>
    public (Tensor Images, Tensor Labels) Batch(long seed, long step, int batchSize, int? firstItems = null)
    {
        int pool = Math.Clamp(firstItems ?? Count, 1, Count);
        var rng = StepRandom.Dotnet(seed, step, stream: 1);
        var idx = Enumerable.Range(0, batchSize).Select(_ => (long)rng.Next(pool)).ToArray();
        return Take(idx);
    }

    /// <summary>Items <paramref name="start"/> … start+count−1 (clipped), in order.</summary>
    public (Tensor Images, Tensor Labels) Slice(int start, int count)
    {
        var idx = Enumerable.Range(start, Math.Max(0, Math.Min(count, Count - start))).Select(i => (long)i).ToArray();
        return Take(idx);
    }

    (Tensor, Tensor) Take(long[] idx)
    {
        using var scope = NewDisposeScope();
        using var index = tensor(idx, ScalarType.Int64);
        var images = _pixels.index_select(0, index).to_type(ScalarType.Float32).div_(HalfByteRange).sub_(Scalars.One);
        var labels = _labels.index_select(0, index);
        return (images.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }

    /// <summary>The items of <paramref name="sets"/> taken in turn, one from each while it has any (a, b, a, b, …, then
    /// the rest of the longer), so that any contiguous slice, the held-out tail included, draws on every set.</summary>
    public static LabelledImageSet Interleave(IReadOnlyList<LabelledImageSet> sets)
    {
        if (sets.Count == 0) throw new ArgumentException("no training set to interleave");
        var first = sets[0];
        foreach (var s in sets.Skip(1))
        {
            if (s.ImageSize != first.ImageSize) throw new ArgumentException($"training sets of {first.ImageSize}² and {s.ImageSize}² cannot be mixed");
            if (!s.AttributeNames.SequenceEqual(first.AttributeNames)) throw new ArgumentException("training sets with different attributes cannot be mixed");
        }
        var offsets = sets.Select((s, k) => sets.Take(k).Sum(o => o.Count)).ToArray();
        var order = new List<long>();
        for (int i = 0; i < sets.Max(s => s.Count); i++)
            for (int k = 0; k < sets.Count; k++)
                if (i < sets[k].Count) order.Add(offsets[k] + i);
        using var scope = NewDisposeScope();
        using var index = tensor(order.ToArray(), ScalarType.Int64);
        var pixels = cat(sets.Select(s => s._pixels).ToArray(), 0).index_select(0, index);
        var labels = cat(sets.Select(s => s._labels).ToArray(), 0).index_select(0, index);
        return new LabelledImageSet(pixels.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope(), first.AttributeNames);
    }

    public void Dispose()
    {
        _pixels.Dispose();
        _labels.Dispose();
    }
}
