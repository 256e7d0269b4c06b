using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Networks.StyleGan2;
using Pipeline.Editing.Training;
using static TorchSharp.torch;
using Pipeline.Editing.Runtime;
using TorchSharp;

namespace Pipeline.World.Training;

/// <summary>One attribute's exact direction: column k of A, Frobenius-normalised, and its length as the unit strength.</summary>
/// <param name="RenderFlipRate">share of held-out scenes whose render G(A·f′ + b), f′ the factors with attribute k
/// flipped, the world classifier reads as flipped</param>
/// <param name="CalibrationFlipRate">the same for G(E(x) + sign·unit·n) from the encoder's inversion of the scene: what a
/// <c>name=±1</c> edit does in the method</param>
public sealed record FactorDirection(string Name, int ClassIndex, Tensor Direction, double UnitStrength, double RenderFlipRate, double CalibrationFlipRate) : IDisposable
{
    public void Dispose() => Direction.Dispose();
}

/// <summary>
/// The demo pack's attribute directions, read off the factor map rather than fitted: attribute k's factor moves by one
/// along column k of A, so n_k = A_k / ‖A_k‖ and the unit strength is ‖A_k‖ — <c>name=+1</c> moves a scene from 0 to 1
/// on that factor, <c>name=−1</c> back. The world classifier checks it on held-out scenes, on the exact codes and
/// through the encoder.
/// </summary>
public static class FactorDirections
{
    const int Batch = 32;

    public static List<FactorDirection> Compute(Psp psp, FactorMap map, AttributeClassifier classifier, int heldOutSeed, int count)
    {
        if (count < 1) throw new ArgumentException($"--calibrate must be at least 1, got {count}");
        var world = new SyntheticWorld();
        var scenes = Enumerable.Range(0, count).Select(i => world.Sample(heldOutSeed, i, Scenes.WorldSplit.Train)).ToList();
        var batches = new SceneBatches(heldOutSeed, psp.Config.OutputSize);
        using var held = batches.HeldOut(heldOutSeed, 0, count);
        using var _ = inference_mode();
        using var codes = Encode(psp, held.Input);
        var result = new List<FactorDirection>();
        foreach (var attribute in WorldAttributes.All)
        {
            int k = SceneFactors.AttributeIndex(attribute.Name);
            int classIndex = classifier.Config.Attributes.IndexOf(attribute.Name);
            if (classIndex < 0) throw new ArgumentException($"the world classifier does not judge '{attribute.Name}'");
            using var column = map.Column(k);                                                  // [n,dim]
            double unit = column.norm().item<float>();
            if (!(unit > 0)) throw new InvalidDataException($"factor map column {k} ({attribute.Name}) is zero: the prior never learned that attribute");
            using Scalar length = unit;
            var direction = (column / length).to_type(ScalarType.Float64);
            var labels = scenes.Select(s => attribute.Get(s)).ToArray();
            using var sign = tensor(labels.Select(l => l ? -1f : 1f).ToArray()).view(-1, 1, 1);
            using var flippedFactors = held.Factors.clone();
            flippedFactors[.., k] = flippedFactors[.., k].OneMinus();
            using var exact = map.call(flippedFactors);
            using var step = sign * column.unsqueeze(0);
            using var edited = codes.Plus(step);
            double render = FlipRate(psp, classifier, exact, classIndex, labels);
            double calibration = FlipRate(psp, classifier, edited, classIndex, labels);
            result.Add(new FactorDirection(attribute.Name, classIndex, direction, unit, render, calibration));
        }
        return result;
    }

    static Tensor Encode(Psp psp, Tensor images)
    {
        var parts = new List<Tensor>();
        for (long i = 0; i < images.shape[0]; i += Batch)
            parts.Add(psp.Encode(Composition.AreaDownsample(images.narrow(0, i, Math.Min(Batch, images.shape[0] - i)), psp.Config.InputSize)));
        var all = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return all;
    }

    /// <summary>Share of codes whose render the classifier reads opposite to the scene's label.</summary>
    static double FlipRate(Psp psp, AttributeClassifier classifier, Tensor codes, int classIndex, bool[] labels)
    {
        int flipped = 0;
        for (long i = 0; i < codes.shape[0]; i += Batch)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(Batch, codes.shape[0] - i);
            var image = psp.Decode(codes.narrow(0, i, n), NoiseSource.Stored, resize: false).clamp(Scalars.MinusOne, Scalars.One);
            var judged = classifier.call(image)[.., classIndex].gt(Scalars.Zero).data<bool>().ToArray();
            for (int j = 0; j < n; j++) if (judged[j] != labels[i + j]) flipped++;
        }
        return (double)flipped / codes.shape[0];
    }
}
