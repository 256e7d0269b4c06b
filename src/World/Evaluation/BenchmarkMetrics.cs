using static TorchSharp.torch;
using Pipeline.Editing.Runtime;
using TorchSharp;

namespace Pipeline.World.Evaluation;

/// <summary>The per-image measures of the synthetic benchmark, on images in [−1,1] and binary masks [B,1,S,S].</summary>
public static class BenchmarkMetrics
{
    /// <summary>The PSNR reported for identical regions (MSE floored at 1e-10 of the peak²).</summary>
    public const double MaxPsnr = 100;

    /// <summary>IoU of two binary masks per image [B]; NaN where both are empty.</summary>
    public static double[] Iou(Tensor predicted, Tensor truth)
    {
        using var scope = NewDisposeScope();
        var p = predicted.gt(Scalars.Half);
        var t = truth.gt(Scalars.Half);
        var inter = p.logical_and(t).sum(new long[] { 1, 2, 3 }).to_type(ScalarType.Float64);
        var union = p.logical_or(t).sum(new long[] { 1, 2, 3 }).to_type(ScalarType.Float64);
        var i = inter.data<double>().ToArray();
        var u = union.data<double>().ToArray();
        return i.Select((v, k) => u[k] == 0 ? double.NaN : v / u[k]).ToArray();
    }

    /// <summary>
    /// Per-pixel ROC AUC of a soft mask against a binary truth, per image [B]: the probability that a changed pixel
    /// scores higher than an unchanged one, ties counting one half (the Mann–Whitney U over the pixels, with midranks).
    /// 1 is a perfect ranking, 0 its inverse, 0.5 a constant mask; NaN where the truth is all one class.
    /// </summary>
    public static double[] Auc(Tensor soft, Tensor truth)
    {
        using var scope = NewDisposeScope();
        long b = soft.shape[0];
        var scores = soft.reshape(b, -1).to_type(ScalarType.Float64).cpu();
        var labels = truth.reshape(b, -1).gt(Scalars.Half).cpu();
        if (scores.shape[1] != labels.shape[1]) throw new ArgumentException($"mask and truth differ in size: [{string.Join(",", soft.shape)}] vs [{string.Join(",", truth.shape)}]");
        var result = new double[b];
        for (long i = 0; i < b; i++) result[i] = Auc(scores[i].data<double>().ToArray(), labels[i].data<bool>().ToArray());
        return result;
    }

    /// <summary>ROC AUC of <paramref name="scores"/> for the positives in <paramref name="positive"/> (midranks for ties).</summary>
    public static double Auc(double[] scores, bool[] positive)
    {
        if (scores.Length != positive.Length) throw new ArgumentException("one label per score");
        long pos = positive.LongCount(p => p), neg = positive.Length - pos;
        if (pos == 0 || neg == 0) return double.NaN;
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        double rankSum = 0;
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            double midrank = (start + end) / 2.0 + 1;   // 1-based ranks
            for (int k = start; k <= end; k++) if (positive[order[k]]) rankSum += midrank;
            start = end + 1;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double)pos * neg);
    }

    /// <summary>PSNR (peak-to-peak 2, i.e. 8-bit images mapped to [−1,1]) over the pixels where <paramref name="region"/> is 1; NaN where the region is empty.</summary>
    public static double[] Psnr(Tensor a, Tensor b, Tensor region)
    {
        using var scope = NewDisposeScope();
        var r = region.to_type(ScalarType.Float32);
        var se = (a.clamp(Scalars.MinusOne, Scalars.One) - b.clamp(Scalars.MinusOne, Scalars.One)).pow(Scalars.Two).sum(1, keepdim: true) * r;   // [B,1,S,S]
        using Scalar channels = a.shape[1];
        var n = r.sum(new long[] { 1, 2, 3 }).to_type(ScalarType.Float64) * channels;
        var s = se.sum(new long[] { 1, 2, 3 }).to_type(ScalarType.Float64);
        var nn = n.data<double>().ToArray();
        var ss = s.data<double>().ToArray();
        return ss.Select((v, k) => nn[k] == 0 ? double.NaN : Math.Min(MaxPsnr, 10 * Math.Log10(4.0 / Math.Max(v / nn[k], 4e-10)))).ToArray();
    }

    /// <summary>Binary dilation by a (2r+1)² square.</summary>
    public static Tensor Dilate(Tensor mask, int radius)
    {
        if (radius <= 0) return mask.clone();
        return nn.functional.max_pool2d(mask.to_type(ScalarType.Float32), kernel_size: 2 * radius + 1, stride: 1, padding: radius);
    }

    /// <summary>Mean of the finite values; NaN when there are none.</summary>
    public static double Mean(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToList();
        return v.Count == 0 ? double.NaN : v.Average();
    }
}
