using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Networks.StyleGan2;
using Pipeline.Editing.Parity.Rules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>What the pSp fixture and the fixtures chained on it share: the run configuration, the formula pSp and its inputs.</summary>
static class PspFixtureSetup
{
    public const string PspFolder = "psp";
    public const string OriginId = "pipe.origin_1024";
    public const string LatentAvgId = "pipe.latent_avg";
    public const string DirectionId = "pipe.direction";

    static System.Text.Json.Nodes.JsonObject RunConfig(FixtureContext ctx) =>
        ctx.FormulaJson["run_configs"]?[PspFolder]?.AsObject() ?? throw new InvalidDataException("formula.json has no run_configs.psp");

    /// <summary>The pSp configuration <c>run_configs.psp</c> names (read from the tree, whichever folder runs).</summary>
    public static PspConfig Config(FixtureContext ctx)
    {
        var run = RunConfig(ctx);
        int Required(string key) => run[key]?.GetValue<int>() ?? throw new InvalidDataException($"run_configs.psp has no '{key}'");
        return new PspConfig(InputSize: Required("input_size"), OutputSize: Required("output_size"));
    }

    public static double Alpha(FixtureContext ctx) =>
        RunConfig(ctx)["alpha"]?.GetValue<double>() ?? throw new InvalidDataException("run_configs.psp has no 'alpha'");

    /// <summary>The fixtures were made with the stored noise buffers; fresh noise could not be compared.</summary>
    public static NoiseSource Noise(FixtureContext ctx)
    {
        bool randomize = RunConfig(ctx)["randomize_noise"]?.GetValue<bool>() ?? throw new InvalidDataException("run_configs.psp has no 'randomize_noise'");
        if (randomize) throw new InvalidDataException("run_configs.psp.randomize_noise is true: random decoder noise cannot be compared");
        return NoiseSource.Stored;
    }

    /// <summary>The whole pSp filled from the formula (k over encoder.* then decoder.*), latent_avg from its input id, in eval mode.</summary>
    public static Psp FormulaPsp(FixtureContext ctx, PspConfig config)
    {
        var psp = new Psp(config);
        FormulaWeights.Fill(ModuleState.OfficialOrder(psp), ctx.Formula, PspRules.For(config));
        using var latentAvg = ctx.Input(LatentAvgId, config.NStyles, config.StyleDim);
        psp.SetLatentAvg(latentAvg);
        psp.eval();
        return psp;
    }

    /// <summary>The pipeline image (output-size formula image).</summary>
    public static Tensor Origin(FixtureContext ctx, PspConfig config, long batch) =>
        ctx.Input(OriginId, batch, config.InputChannels, config.OutputSize, config.OutputSize);

    /// <summary>The encoder input: the pipeline image area-downsampled to the encoder size.</summary>
    public static Tensor EncoderInput(FixtureContext ctx, PspConfig config, long batch)
    {
        using var origin = Origin(ctx, config, batch);
        return Composition.AreaDownsample(origin, config.InputSize);
    }

    /// <summary>The edit direction: the float64 formula values, Frobenius-normalised in float64 as the official code does.</summary>
    public static EditDirection Direction(FixtureContext ctx, PspConfig config)
    {
        using var raw = ctx.InputFloat64(DirectionId, config.NStyles, config.StyleDim);
        return EditDirection.FromTensor(DirectionId, raw, DirectionNormalization.Frobenius);
    }
}
