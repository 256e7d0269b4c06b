using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Editing.Checkpoints;
using static TorchSharp.torch;
using TorchSharp;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// Real torch.save files written by PyTorch 1.13: the pSp checkpoint container and a plain state dict. Every tensor
/// must load with its name, shape and dtype and equal, exactly, the formula value it was saved with; the container's
/// kind, key list, <c>opts</c> and <c>latent_avg</c> must come back as stored.
/// </summary>
public sealed class CheckpointFormatFixture : IParityFixture
{
    const string ContainerStem = "psp_container_subset";
    const string PlainStem = "plain_state_dict";
    const string CheckpointExtension = ".pt";
    const string ExpectedKeysFile = "expected_keys.json";
    const string LatentAvgInputId = "pipe.latent_avg";
    /// <summary>The rosinality mapping MLP layers (<c>style.1..n_mlp</c>), whose input width is the style dim.</summary>
    const string MappingLayerPrefix = "decoder.style.";

    /// <summary>rosinality's <c>blur_kernel=[1,3,3,1]</c>; <c>make_kernel</c> takes its outer product and divides by the sum.</summary>
    static readonly double[] BlurKernel1D = [1, 3, 3, 1];
    /// <summary>Every stored kernel of the generator belongs to a ×2 upsampling layer, which scales it by factor².</summary>
    const int UpsampleFactor = 2;

    public string Folder => "checkpoint_format";

    public void Run(FixtureContext ctx)
    {
        var expectedPath = Path.Combine(ctx.Dir, ExpectedKeysFile);
        var expected = KeysFile.Read(expectedPath);
        var expectedOpts = JsonNode.Parse(File.ReadAllText(expectedPath))!["opts"]?.AsObject() ?? new JsonObject();

        using (var container = CheckpointReader.Read(Path.Combine(ctx.Dir, ContainerStem + CheckpointExtension)))
        {
            ctx.Check($"{ContainerStem}/kind", container.Kind == CheckpointKind.PspContainer, $"detected {container.Kind}");
            CheckKeyList(ctx, ContainerStem, container.StateDict, expected.Select(e => e.Name).ToList());
            CompareTensors(ctx, ContainerStem, container.StateDict, expected);
            CheckOpts(ctx, container.Opts, expectedOpts);
            CompareLatentAvg(ctx, container, expected);
        }

        using (var plain = CheckpointReader.Read(Path.Combine(ctx.Dir, PlainStem + CheckpointExtension)))
        {
            ctx.Check($"{PlainStem}/kind", plain.Kind == CheckpointKind.PlainStateDict, $"detected {plain.Kind}");
            // The plain file holds a subset of the container's names; it must keep their relative order.
            var known = plain.StateDict.Keys.ToHashSet(StringComparer.Ordinal);
            var unknown = plain.StateDict.Keys.Where(k => expected.All(e => e.Name != k)).ToList();
            ctx.Check($"{PlainStem}/known_keys", plain.StateDict.Count > 0 && unknown.Count == 0,
                plain.StateDict.Count == 0 ? "no tensors" : "not in expected_keys.json: " + string.Join(", ", unknown));
            CheckKeyList(ctx, PlainStem, plain.StateDict, expected.Select(e => e.Name).Where(known.Contains).ToList());
            CompareTensors(ctx, PlainStem, plain.StateDict, expected.Where(e => known.Contains(e.Name)).ToList());
        }
    }

    static void CheckKeyList(FixtureContext ctx, string stem, StateDict loaded, IReadOnlyList<string> expected)
    {
        var missing = expected.Except(loaded.Keys).ToList();
        var extra = loaded.Keys.Except(expected).ToList();
        var detail = $"missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", extra)}]";
        ctx.Check($"{stem}/key_set", missing.Count == 0 && extra.Count == 0, detail);
        ctx.Check($"{stem}/key_order", loaded.Keys.SequenceEqual(expected), "keys are not in state_dict order");
    }

    static void CompareTensors(FixtureContext ctx, string stem, StateDict loaded, IReadOnlyList<KeyEntry> expected)
    {
        var wrongDType = new List<string>();
        foreach (var e in expected)
        {
            var name = $"{stem}/{e.Name}";
            if (!loaded.TryGetValue(e.Name, out var reference))
            {
                ctx.Fail(name, "missing from the file");
                continue;
            }
            if (DTypes.TorchName(reference.dtype) != e.DType) wrongDType.Add($"{e.Name}: {DTypes.TorchName(reference.dtype)} vs {e.DType}");
            using var port = Expected(ctx, e);
            ctx.Compare(name, port, reference);
        }
        ctx.Check($"{stem}/dtypes", wrongDType.Count == 0, string.Join("; ", wrongDType));
    }

    /// <summary>The value the entry was saved with: the formula for weights, the constructor constant for keep:* entries.</summary>
    static Tensor Expected(FixtureContext ctx, KeyEntry e)
    {
        if (!e.Rule.Keep) return FormulaWeights.Tensor(ctx.Formula, e.K, e.Shape, e.Rule);
        return e.Rule.Tag switch
        {
            "keep:int" => zeros(e.Shape, ScalarType.Int64),
            "keep:blur_kernel" => UpsampleBlurKernel().reshape(e.Shape),
            _ => throw new InvalidDataException($"{e.Name}: no expected value known for rule '{e.Rule.Tag}'"),
        };
    }

    /// <summary>rosinality <c>make_kernel(k) * factor**2</c>, as Upsample and the upsampling conv's Blur store it.</summary>
    static Tensor UpsampleBlurKernel()
    {
        using var k1 = tensor(BlurKernel1D, ScalarType.Float64);
        using var outer = k1.outer(k1);
        using var normalised = outer / outer.sum();
        using Scalar gain = UpsampleFactor * UpsampleFactor;
        return (normalised * gain).to_type(ScalarType.Float32);
    }

    static void CheckOpts(FixtureContext ctx, IReadOnlyDictionary<string, object?> loaded, JsonObject expected)
    {
        var problems = new List<string>();
        foreach (var (key, node) in expected)
        {
            if (!loaded.TryGetValue(key, out var value)) { problems.Add($"{key}: missing"); continue; }
            if (!SameValue(node, value)) problems.Add($"{key}: {PickleText.Repr(value)} vs {node?.ToJsonString() ?? "null"}");
        }
        problems.AddRange(loaded.Keys.Where(k => !expected.ContainsKey(k)).Select(k => $"{k}: unexpected"));
        if (!loaded.Keys.SequenceEqual(expected.Select(kv => kv.Key))) problems.Add("keys are not in the stored order");
        ctx.Check($"{ContainerStem}/opts", problems.Count == 0, string.Join("; ", problems));
    }

    /// <summary>Type-exact: a JSON number without '.'/exponent is a Python int, otherwise a float.</summary>
    static bool SameValue(JsonNode? expected, object? actual)
    {
        if (expected is null) return actual is null;
        var v = expected.AsValue();
        return v.GetValueKind() switch
        {
            JsonValueKind.String => actual is string s && s == v.GetValue<string>(),
            JsonValueKind.True => actual is true,
            JsonValueKind.False => actual is false,
            JsonValueKind.Number when IsIntegerText(v.ToJsonString()) => actual is long l && l == v.GetValue<long>(),
            JsonValueKind.Number => actual is double d && d == v.GetValue<double>(),
            _ => false,
        };
    }

    static bool IsIntegerText(string number) => number.IndexOfAny(['.', 'e', 'E']) < 0;

    /// <summary>pSp: <c>n_styles = 2·log2(output_size) − 2</c> codes of the mapping network's width.</summary>
    static void CompareLatentAvg(FixtureContext ctx, Checkpoint container, IReadOnlyList<KeyEntry> expected)
    {
        var name = $"{ContainerStem}/latent_avg";
        if (container.LatentAvg is null) { ctx.Fail(name, "the container has no latent_avg"); return; }
        if (!container.Opts.TryGetValue("output_size", out var size) || size is not long outputSize)
        {
            ctx.Fail(name, "opts has no integer output_size to derive n_styles from");
            return;
        }
        long nStyles = 2 * (long)Math.Round(Math.Log2(outputSize)) - 2;
        long styleDim = expected.First(e => e.Name.StartsWith(MappingLayerPrefix, StringComparison.Ordinal) && e.Shape.Length == 2).Shape[1];
        using var port = ctx.Input(LatentAvgInputId, nStyles, styleDim);
        ctx.Check($"{name}:dtype", container.LatentAvg.dtype == ScalarType.Float32, DTypes.TorchName(container.LatentAvg.dtype));
        ctx.Compare(name, port, container.LatentAvg);
    }
}
