using static TorchSharp.torch;

namespace Pipeline.Editing.Training;

/// <summary>Which codes a boundary is fitted on: the whole W+ code flattened, or W, the mean of its rows.</summary>
public enum LatentSpace { WPlus, W }

/// <summary>Which unit vector of the boundary becomes the direction (<see cref="LinearBoundary"/>).</summary>
public enum BoundaryVector
{
    /// <summary>The boundary's normal, as InterFaceGAN edits.</summary>
    Normal,
    /// <summary>The normal in standardised coordinates mapped back: moves the latent where the data varies.</summary>
    Spread,
}

/// <summary>A fitted direction: [n,D] for W+ or [1,D] for W (float64, unit Frobenius norm, toward label 1).</summary>
public sealed record FittedDirection(Tensor Direction, double UnitStrength, double TrainAccuracy, double HeldOutAccuracy,
    int TrainCount, int HeldOutCount, double NormalSpreadCosine) : IDisposable
{
    public void Dispose() => Direction.Dispose();
}

/// <summary>
/// InterFaceGAN's recipe on a user's labels: a linear boundary (<see cref="LinearBoundary"/>) on the inverted codes,
/// fitted on a stratified share of them and scored on the rest; the direction is its unit vector, the unit strength
/// the classes' mean distance along it (<see cref="DirectionCalibration.ClassMeanDistance"/>).
/// </summary>
public static class DirectionFit
{
    /// <summary>codes [N,n,D] → features [N,n·D] (W+) or [N,D] (W: mean over rows).</summary>
    public static Tensor Features(Tensor codes, LatentSpace space)
    {
        if (codes.dim() != 3) throw new ArgumentException($"codes must be [N,n,D], got [{string.Join(",", codes.shape)}]");
        using var f = codes.to_type(ScalarType.Float32);
        return space == LatentSpace.W ? f.mean([1]) : f.reshape(codes.shape[0], -1);
    }

    /// <summary>Indices held out: <paramref name="share"/> of each class (at least one of each when the share is above 0),
    /// drawn with <paramref name="seed"/>.</summary>
    public static HashSet<int> HeldOut(IReadOnlyList<bool> labels, double share, int seed)
    {
        if (share is < 0 or >= 1) throw new ArgumentException($"--holdout must be in [0, 1), got {share}");
        var rng = new Random(seed);
        var held = new HashSet<int>();
        foreach (var value in new[] { false, true })
        {
            var idx = Enumerable.Range(0, labels.Count).Where(i => labels[i] == value).OrderBy(_ => rng.Next()).ToList();
            int take = share == 0 ? 0 : Math.Clamp((int)Math.Round(share * idx.Count), 1, idx.Count - 1);
            held.UnionWith(idx.Take(take));
        }
        return held;
    }

    public static FittedDirection Fit(Tensor codes, IReadOnlyList<bool> labels, LatentSpace space, BoundaryVector vector,
        double holdout, int seed, LinearBoundary.Options? options = null)
    {
        if (codes.shape[0] != labels.Count) throw new ArgumentException($"{codes.shape[0]} codes but {labels.Count} labels");
        using var scope = NewDisposeScope();
        var x = Features(codes, space);
        var held = HeldOut(labels, holdout, seed);
        var trainIdx = Enumerable.Range(0, labels.Count).Where(i => !held.Contains(i)).ToArray();
        var heldIdx = held.Order().ToArray();
        var train = x.index_select(0, tensor(trainIdx.Select(i => (long)i).ToArray()));
        var trainLabels = trainIdx.Select(i => labels[i]).ToArray();
        using var y = tensor(trainLabels.Select(l => l ? 1f : 0f).ToArray());
        using var boundary = LinearBoundary.Fit(train, y, options);
        double heldOut = heldIdx.Length == 0 ? double.NaN
            : boundary.Accuracy(x.index_select(0, tensor(heldIdx.Select(i => (long)i).ToArray())), heldIdx.Select(i => labels[i]).ToArray());
        var unit = (vector == BoundaryVector.Normal ? boundary.Normal : boundary.EditVector).to_type(ScalarType.Float64);
        double cosine = boundary.Normal.to_type(ScalarType.Float64).dot(boundary.EditVector.to_type(ScalarType.Float64)).item<double>();
        double strength = DirectionCalibration.ClassMeanDistance(train, trainLabels, unit);
        var direction = space == LatentSpace.W ? unit.unsqueeze(0) : unit.reshape(codes.shape[1], codes.shape[2]);
        return new FittedDirection(direction.MoveToOuterDisposeScope(), strength, boundary.TrainAccuracy, heldOut,
            trainIdx.Length, heldIdx.Length, cosine);
    }
}
