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

    public void Dispose()
    {
        _pixels.Dispose();
        _labels.Dispose();
    }
}
