using Pipeline.Editing.Training;
using Pipeline.World.Scenes;
using static TorchSharp.torch;
using Pipeline.Editing.Runtime;
using TorchSharp;

namespace Pipeline.World.Training;

/// <summary>One batch of scenes as the demo prior's trainers use it: what the network sees, the clean face it should
/// land on, and that face's factors.</summary>
/// <param name="Input">the rendered scenes <c>[B,3,S,S]</c> in [−1,1], occluders included where drawn</param>
/// <param name="Clean">the same faces without occluders and on their in-domain background <c>[B,3,S,S]</c></param>
/// <param name="Factors">f of the clean faces <c>[B,F]</c></param>
public sealed record SceneBatch(Tensor Input, Tensor Clean, Tensor Factors) : IDisposable
{
    public void Dispose()
    {
        Input.Dispose();
        Clean.Dispose();
        Factors.Dispose();
    }
}

/// <summary>
/// Fresh scenes of the synthetic world for every training step, rendered on demand (a 64² scene renders in well under a
/// millisecond): step t draws the scenes of the world seed at indices (t − 1)·B … t·B − 1, so a resumed run sees exactly
/// what an uninterrupted one saw and no scene repeats — or, with <paramref name="sceneCount"/> &gt; 0, cycles through
/// that many scenes (small runs that should see the same scenes again). Held-out scenes come from another world seed.
/// </summary>
public sealed class SceneBatches(int worldSeed, int imageSize, double oodFraction = 0, int sceneCount = 0)
{
    /// <summary>Bytes 0..255 to [−1,1]: x / 127.5 − 1.</summary>
    static readonly Scalar HalfByteRange = 127.5;

    const int OodStream = 41;
    readonly SyntheticWorld _world = new();

    public int ImageSize => imageSize;

    /// <summary>The scenes of step <paramref name="step"/> (steps count from 1).</summary>
    public SceneBatch Train(long step, int batchSize, long runSeed)
    {
        long first = (step - 1) * batchSize;
        if (sceneCount <= 0 && first + batchSize > int.MaxValue) throw new ArgumentException($"step {step} × batch {batchSize} runs past the world's scene indices");
        var random = StepRandom.Dotnet(runSeed, step, OodStream);
        var ood = Enumerable.Range(0, batchSize).Select(_ => oodFraction > 0 && random.NextDouble() < oodFraction).ToArray();
        var indices = Enumerable.Range(0, batchSize).Select(j => (int)(sceneCount > 0 ? (first + j) % sceneCount : first + j)).ToArray();
        return Render(worldSeed, indices, ood);
    }

    /// <summary>Scenes <paramref name="start"/> … of the held-out world seed, in-domain unless <paramref name="ood"/>.</summary>
    public SceneBatch HeldOut(int heldOutSeed, int start, int count, bool ood = false) =>
        Render(heldOutSeed, Enumerable.Range(start, count).ToArray(), Enumerable.Repeat(ood, count).ToArray());

    SceneBatch Render(int seed, int[] indices, bool[] ood)
    {
        // The world draws at 64² and up; smaller training sizes are its 64² renders area-averaged.
        int n = indices.Length, s = Math.Max(imageSize, Pipeline.World.Rendering.FaceRenderer.MinSize), plane = 3 * s * s;
        var input = new byte[n * plane];
        var clean = new byte[n * plane];
        var factors = new float[n * SceneFactors.Count];
        for (int i = 0; i < n; i++)
        {
            var face = _world.Sample(seed, indices[i], WorldSplit.Train);
            var cleanImage = _world.Render(face, s);
            var inputImage = ood[i] ? _world.Render(_world.Sample(seed, indices[i], WorldSplit.Ood), s) : cleanImage;
            ToChw(cleanImage.Rgb, clean, i * plane, s);
            ToChw(inputImage.Rgb, input, i * plane, s);
            SceneFactors.Of(face).CopyTo(factors, i * SceneFactors.Count);
        }
        using var scope = NewDisposeScope();
        var shape = new long[] { n, 3, s, s };
        var x = tensor(input, shape, ScalarType.Byte).to_type(ScalarType.Float32).div_(HalfByteRange).sub_(Scalars.One);
        var c = tensor(clean, shape, ScalarType.Byte).to_type(ScalarType.Float32).div_(HalfByteRange).sub_(Scalars.One);
        var f = tensor(factors, new long[] { n, SceneFactors.Count });
        if (s != imageSize) { x = Pipeline.Editing.Method.Composition.AreaDownsample(x, imageSize); c = Pipeline.Editing.Method.Composition.AreaDownsample(c, imageSize); }
        return new SceneBatch(x.MoveToOuterDisposeScope(), c.MoveToOuterDisposeScope(), f.MoveToOuterDisposeScope());
    }

    static void ToChw(byte[] hwc, byte[] chw, int offset, int size)
    {
        int plane = size * size;
        for (int p = 0; p < plane; p++)
            for (int c = 0; c < 3; c++)
                chw[offset + c * plane + p] = hwc[3 * p + c];
    }
}
