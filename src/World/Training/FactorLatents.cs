using Pipeline.World.Scenes;
using static TorchSharp.torch;

namespace Pipeline.World.Training;

/// <summary>
/// The W+ codes the demo prior draws: its generator is a conditional renderer whose mapping network is kept but never
/// trained, so "mapped W of sampled latents" is <c>w = A·f + b</c> of factor vectors f of scenes sampled from the
/// world's train distribution.
/// </summary>
public static class FactorLatents
{
    public const string Description = "w = A·f + b of the factor vectors f of world train scenes (the demo prior's mapping network is untrained)";

    /// <summary>Codes [count,n,D] of scenes <paramref name="start"/>.. of world seed <paramref name="seed"/>.</summary>
    public static Tensor Sample(FactorMap map, int seed, int start, int count)
    {
        if (count < 1) throw new ArgumentException($"need at least one scene, got {count}");
        var world = new SyntheticWorld();
        var f = new float[count * SceneFactors.Count];
        for (int i = 0; i < count; i++) SceneFactors.Of(world.Sample(seed, start + i, WorldSplit.Train)).CopyTo(f, i * SceneFactors.Count);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return map.call(tensor(f, new long[] { count, SceneFactors.Count })).detach().MoveToOuterDisposeScope();
    }
}
