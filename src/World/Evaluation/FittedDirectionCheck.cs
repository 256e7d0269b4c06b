using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.StyleGan2;
using Pipeline.Editing.Runtime;
using Pipeline.World.Scenes;
using Pipeline.World.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.World.Evaluation;

/// <summary>How a fitted direction compares with the world's truth (<see cref="FittedDirectionCheck"/>).</summary>
/// <param name="ColumnCosine">cosine with the factor map's column of the attribute (the exact "turn it on" step)</param>
/// <param name="ClassMeanCosine">cosine with the difference of the two classes' mean exact codes A·f + b</param>
/// <param name="ColumnNorm">‖A_k‖, the unit <c>train directions</c> would write</param>
/// <param name="RenderFlipRate">share of scenes whose exact code moved by ∓unit·n renders closer to the flipped scene
/// than to the scene</param>
/// <param name="EncoderFlipRate">the same from the encoder's code E(x): what <c>name=±1</c> does in the method</param>
/// <param name="NoEditFlipRate">the same judge on the unedited inversion: how often it calls a non-edit a flip</param>
public sealed record DirectionCheckResult(string Attribute, int Scenes, int Positives, double ColumnCosine, double ClassMeanCosine,
    double ColumnNorm, double UnitStrength, double RenderFlipRate, double EncoderFlipRate, double NoEditFlipRate);

/// <summary>
/// A direction fitted from labels of a <see cref="WithheldAttribute"/>, checked on held-out scenes of the world against
/// what the world knows: its cosine with the factor map's exact step, and flip rates as <c>train directions</c> measures
/// them (exact codes and encoder codes, edited toward the other state at ±1 unit) — judged by the world's own renders,
/// since the world classifier does not know the attribute: an edit counts as a flip when its render is nearer (pixel
/// MSE) to the render of the flipped scene than to the scene's.
/// </summary>
public static class FittedDirectionCheck
{
    const int Batch = 32;

    public static DirectionCheckResult Run(EditModels models, FactorMap map, LoadedDirection direction, WithheldAttribute withheld, int seed, int count)
    {
        if (count < 2) throw new ArgumentException($"--count must be at least 2, got {count}");
        int column = SceneFactors.Names.ToList().IndexOf(withheld.FactorColumn);
        if (column < 0) throw new ArgumentException($"the factor map has no column '{withheld.FactorColumn}'");
        var world = new SyntheticWorld();
        var attribute = withheld.Attribute;
        var scenes = Enumerable.Range(0, count).Select(i => world.Sample(seed, i, WorldSplit.Train)).ToList();
        var labels = scenes.Select(attribute.Get).ToArray();
        if (labels.All(l => l) || labels.All(l => !l)) throw new ArgumentException($"all {count} scenes read '{attribute.Name}' the same: draw more");
        int size = models.ImageSize;
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        var n = direction.Direction.Vector.to_type(ScalarType.Float32);                               // [n or 1, D]
        var original = Render(scenes, size);
        var flipped = Render(scenes.Select(attribute.Flip).ToList(), size);
        var factors = tensor(scenes.SelectMany(SceneFactors.Of).ToArray(), new long[] { count, SceneFactors.Count });
        var exact = map.call(factors);                                                               // [N,n,D]
        var stage = new InvertStage(models, new MethodOptions());
        var encoded = cat(Enumerable.Range(0, (count + Batch - 1) / Batch)
            .Select(b => stage.Latent(original.narrow(0, b * Batch, Math.Min(Batch, count - b * Batch))).OnCpu()).ToList(), 0);
        var sign = tensor(labels.Select(l => l ? -1f : 1f).ToArray()).view(-1, 1, 1);
        using var unit = direction.UnitStrength.ToScalar();
        var step = sign * n.unsqueeze(0).expand(count, exact.shape[1], -1) * unit;

        var col = map.Column(column).flatten();
        var flat = n.expand(exact.shape[1], -1).flatten();
        var on = tensor(labels.Select((l, i) => (long)i).Where(i => labels[i]).ToArray());
        var off = tensor(labels.Select((l, i) => (long)i).Where(i => !labels[i]).ToArray());
        var meanStep = (exact.index_select(0, on).mean([0]) - exact.index_select(0, off).mean([0])).flatten();
        return new DirectionCheckResult(attribute.Name, count, labels.Count(l => l),
            Cosine(flat, col), Cosine(flat, meanStep), col.norm().item<float>(), direction.UnitStrength,
            FlipRate(models.Generator, exact.Plus(step), original, flipped),
            FlipRate(models.Generator, encoded.Plus(step), original, flipped),
            FlipRate(models.Generator, encoded, original, flipped));
    }

    static double Cosine(Tensor a, Tensor b) => (a.dot(b) / (a.norm() * b.norm())).item<float>();

    static Tensor Render(IReadOnlyList<SceneSpec> scenes, int size)
    {
        using var scope = NewDisposeScope();
        var images = scenes.Select(s =>
        {
            var x = FaceRenderer(s, Math.Max(size, Rendering.FaceRenderer.MinSize));
            return x.shape[2] == size ? x : Composition.AreaDownsample(x, size);
        }).ToList();
        return cat(images, 0).MoveToOuterDisposeScope();
    }

    static Tensor FaceRenderer(SceneSpec s, int size) => Rendering.FaceRenderer.Render(s, size).ToTensor();

    /// <summary>Share of codes whose render is nearer to the flipped scene than to the scene.</summary>
    static double FlipRate(StyleGan2Generator generator, Tensor codes, Tensor original, Tensor flipped)
    {
        var device = ComputeDevice.Of(generator);
        int hits = 0;
        for (long i = 0; i < codes.shape[0]; i += Batch)
        {
            using var scope = NewDisposeScope();
            long b = Math.Min(Batch, codes.shape[0] - i);
            using var generated = generator.Generate(codes.narrow(0, i, b).OnDevice(device), new GenerateOptions { InputIsLatent = true, Noise = NoiseSource.Stored });
            var image = generated.Image.OnCpu().clamp(Scalars.MinusOne, Scalars.One);
            var dOriginal = image - original.narrow(0, i, b);
            var dFlipped = image - flipped.narrow(0, i, b);
            var toOriginal = (dOriginal * dOriginal).mean([1, 2, 3]);
            var toFlipped = (dFlipped * dFlipped).mean([1, 2, 3]);
            hits += toFlipped.lt(toOriginal).data<bool>().Count(x => x);
        }
        return (double)hits / codes.shape[0];
    }
}
