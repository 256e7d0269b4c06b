using Pipeline.Editing.Directions;
using Pipeline.Editing.Networks.Psp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>What the pSp fixture and the fixtures chained on it share: the run configuration and the formula inputs.</summary>
static class PspFixtureSetup
{
    public const string PspFolder = "psp";
    public const string OriginId = "pipe.origin_1024";
    public const string LatentAvgId = "pipe.latent_avg";
    public const string DirectionId = "pipe.direction";

    /// <summary>The pSp configuration <c>run_configs.psp</c> names (read from the tree, whichever folder runs).</summary>
    public static PspConfig Config(FixtureContext ctx)
    {
        var run = ctx.FormulaJson["run_configs"]?[PspFolder]?.AsObject()
            ?? throw new InvalidDataException("formula.json has no run_configs.psp");
        int Required(string key) => run[key]?.GetValue<int>() ?? throw new InvalidDataException($"run_configs.psp has no '{key}'");
        return new PspConfig(InputSize: Required("input_size"), OutputSize: Required("output_size"));
    }

    public static double Alpha(FixtureContext ctx) =>
        ctx.FormulaJson["run_configs"]?[PspFolder]?["alpha"]?.GetValue<double>() ?? throw new InvalidDataException("run_configs.psp has no 'alpha'");

    /// <summary>The pipeline image (output-size formula image) and its area downsample to the encoder input size.</summary>
    public static Tensor Origin(FixtureContext ctx, PspConfig config, long batch) =>
        ctx.Input(OriginId, batch, config.InputChannels, config.OutputSize, config.OutputSize);

    public static Tensor EncoderInput(FixtureContext ctx, PspConfig config, long batch)
    {
        using var origin = Origin(ctx, config, batch);
        // F.interpolate(mode='area') is an adaptive average pool.
        return nn.functional.adaptive_avg_pool2d(origin, [config.InputSize, config.InputSize]);
    }

    public static Tensor Direction(FixtureContext ctx, PspConfig config)
    {
        using var raw = ctx.InputFloat64(DirectionId, config.NStyles, config.StyleDim);
        return EditDirection.FrobeniusNormalized(raw);
    }
}
