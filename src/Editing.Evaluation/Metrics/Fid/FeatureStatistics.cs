using System.Globalization;
using Pipeline.Editing.Checkpoints;
using static TorchSharp.torch;
using Pipeline.Editing.Runtime;
using TorchSharp;

namespace Pipeline.Editing.Metrics.Fid;

/// <summary>
/// Streaming mean and covariance of feature vectors in float64: batches are added as they come and only the count,
/// the sum and the sum of outer products are kept, so a data set is never held in memory. Sums are taken about a shift
/// (the first batch's mean) so that the covariance does not lose digits to cancellation when the mean is large. The
/// result equals numpy's <c>mean(axis=0)</c> and <c>cov(rowvar=False)</c> (ddof = 1), as pytorch-fid computes them.
/// </summary>
public sealed class FeatureStatistics : IDisposable
{
    const string CountKey = "count";
    const string ShiftKey = "shift";
    const string SumKey = "sum";
    const string OuterKey = "outer";

    Tensor? _shift;
    readonly Tensor _sum;
    readonly Tensor _outer;

    public FeatureStatistics(long dims)
    {
        if (dims <= 0) throw new ArgumentException($"feature dimension must be positive, got {dims}");
        Dims = dims;
        // Owned by this object across batches: no caller's dispose scope may take them.
        _sum = zeros(dims, ScalarType.Float64).DetachFromDisposeScope();
        _outer = zeros(dims, dims, ScalarType.Float64).DetachFromDisposeScope();
    }

    public long Dims { get; }
    public long Count { get; private set; }

    /// <summary>Adds a batch of features [N,D] (any float dtype; accumulated in float64).</summary>
    public void Add(Tensor features)
    {
        if (features.dim() != 2 || features.shape[1] != Dims)
            throw new ArgumentException($"features must be [N,{Dims}], got [{string.Join(",", features.shape)}]");
        if (features.shape[0] == 0) return;
        using var scope = NewDisposeScope();
        var f = features.detach().cpu().to_type(ScalarType.Float64);
        if (_shift is null)
        {
            _shift = f.mean([0]).DetachFromDisposeScope();
        }
        var centred = f - _shift;
        _sum.add_(centred.sum([0]), alpha: Scalars.One);
        _outer.addmm_(centred.t(), centred);
        Count += features.shape[0];
    }

    /// <summary>mu [D] and sigma [D,D] (float64); sigma needs at least two samples.</summary>
    public (Tensor Mean, Tensor Covariance) MeanAndCovariance()
    {
        if (Count < 2) throw new InvalidOperationException($"a covariance needs at least 2 feature vectors, got {Count}");
        using var scope = NewDisposeScope();
        using Scalar n = Count, dof = Count - 1;
        var d = _sum / n;                                          // mean − shift
        var mean = _shift!.Plus(d);
        var cov = (_outer - d.outer(d) * n) / dof;
        cov = cov.Plus(cov.t()) / Scalars.Two;                                     // exact symmetry for the eigensolvers
        return (mean.MoveToOuterDisposeScope(), cov.MoveToOuterDisposeScope());
    }

    /// <summary>Writes the accumulators (safetensors, float64), so that an interrupted run can continue.</summary>
    public void Save(string path)
    {
        using var sd = new StateDict();
        sd.Add(SumKey, _sum.alias());
        sd.Add(OuterKey, _outer.alias());
        sd.Add(ShiftKey, _shift?.alias() ?? zeros(Dims, ScalarType.Float64));
        sd.Metadata[CountKey] = Count.ToString(CultureInfo.InvariantCulture);
        var tmp = path + ".tmp";
        SafeTensorsFile.Write(tmp, sd);
        File.Move(tmp, path, overwrite: true);
    }

    public static FeatureStatistics Load(string path)
    {
        using var sd = SafeTensorsFile.Read(path);
        if (!sd.Metadata.TryGetValue(CountKey, out var countText) || !long.TryParse(countText, CultureInfo.InvariantCulture, out var count) || count < 0)
            throw new InvalidDataException($"{path}: not a feature statistics file (no '{CountKey}' metadata)");
        var stats = new FeatureStatistics(sd[SumKey].shape[0]);
        if (!sd[OuterKey].shape.SequenceEqual([stats.Dims, stats.Dims]) || !sd[ShiftKey].shape.SequenceEqual([stats.Dims]))
            throw new InvalidDataException($"{path}: accumulator shapes disagree");
        stats._sum.copy_(sd[SumKey]);
        stats._outer.copy_(sd[OuterKey]);
        if (count > 0) stats._shift = sd[ShiftKey].to_type(ScalarType.Float64).clone().DetachFromDisposeScope();
        stats.Count = count;
        return stats;
    }

    public void Dispose()
    {
        _shift?.Dispose();
        _sum.Dispose();
        _outer.Dispose();
    }
}
