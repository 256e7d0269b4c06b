using static TorchSharp.torch;

namespace Pipeline.Editing.Training;

/// <summary>One principal component as a direction: [n,D] unit (zero outside its rows) and the spread of the codes along it.</summary>
/// <param name="Sigma">the standard deviation of the codes along the component: the unit strength, so <c>name=+1</c> moves by one σ</param>
public sealed record ComponentDirection(string Name, LayerRange Layers, Tensor Direction, double Variance, double Sigma, double ExplainedVarianceRatio) : IDisposable
{
    public void Dispose() => Direction.Dispose();
}

/// <summary>
/// GANSpace directions without labels: PCA of the rows <see cref="LayerRange"/> of sampled W+ codes, each component
/// written back into those rows only (GANSpace's per-layer-range edit).
/// </summary>
public static class ComponentDirections
{
    /// <summary>codes [N,n,D] → the first <paramref name="count"/> components of rows <paramref name="layers"/>.</summary>
    public static List<ComponentDirection> Fit(Tensor codes, LayerRange layers, int count)
    {
        if (codes.dim() != 3) throw new ArgumentException($"codes must be [N,n_latent,dim], got [{string.Join(",", codes.shape)}]");
        int rows = (int)codes.shape[1], width = (int)codes.shape[2];
        using var slice = layers.Slice(codes);
        using var pca = PrincipalComponents.Fit(slice, count);
        bool all = layers.Start == 0 && layers.End == rows - 1;
        return Enumerable.Range(0, count).Select(i => new ComponentDirection(
            all ? $"pc{i}" : $"pc{i}_rows{layers}", layers, layers.Embed(pca.Components[i], rows, width),
            pca.Variance[i], Math.Sqrt(pca.Variance[i]), pca.Ratio[i])).ToList();
    }
}
