using Pipeline.Editing.Networks.Psp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Training;

/// <summary>
/// Latents sampled from the GAN when no image folder is given: z ~ N(0, I) from the step's seed, w = mapping(z),
/// repeated over every W+ row. The held-out codes come from a stream no training step draws from.
/// </summary>
public sealed class SampledLatentPrior : ILatentPrior
{
    const int TrainStream = 11;
    const int EvalStream = 12;

    readonly Psp _psp;
    readonly int _batch;
    readonly long _seed;

    public SampledLatentPrior(Psp psp, int evalCount, int batch, long seed)
    {
        if (evalCount < 0) throw new ArgumentException($"the held-out count must be ≥ 0, got {evalCount}");
        (_psp, _batch, _seed) = (psp, batch, seed);
        EvalLatents = Sample(evalCount, StepRandom.Torch(seed, 0, EvalStream));
        EvalNames = Enumerable.Range(0, evalCount).Select(i => $"sample {i}").ToList();
        Description = $"latents sampled from the generator's mapping network (z ~ N(0,I), W repeated as W+), {evalCount} held out";
    }

    public string Description { get; }
    public Tensor EvalLatents { get; }
    public IReadOnlyList<string> EvalNames { get; }

    public Tensor TrainBatch(long step) => Sample(_batch, StepRandom.Torch(_seed, step, TrainStream));

    Tensor Sample(int count, Generator generator)
    {
        using var g = generator;
        return MappedCodes(_psp.Decoder, count, g);
    }

    /// <summary>z ~ N(0, I) from <paramref name="g"/>, w = mapping(z), repeated over every W+ row: [count,n,512].</summary>
    public static Tensor MappedCodes(Networks.StyleGan2.StyleGan2Generator decoder, int count, Generator g)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var z = randn(new long[] { count, decoder.Config.StyleDim }, generator: g);   // [B,512]
        var w = decoder.Map(z);                                                          // [B,512]
        return decoder.ComposeLatent(new[] { w }).MoveToOuterDisposeScope();            // [B,n,512]
    }

    public void Dispose() => EvalLatents.Dispose();
}
