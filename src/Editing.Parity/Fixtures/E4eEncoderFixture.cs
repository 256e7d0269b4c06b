using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Parity.Rules;
using Pipeline.Editing.Runtime;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// <c>e4e_encoder/</c>: the official e4e encoder (Encoder4Editing IR-SE50, 1024) with pSp's formula weights (same keys,
/// checked against keys.json) on the area-downsampled formula image: the body taps, w0, the per-row deltas, the codes
/// and the latent. The port runs one item more than the fixture stores (item b is formula k = origin + 7b), so e4e's
/// repeat over rows runs with a batch > 1; the stored items must match in the batch, and the extra item run alone
/// must match itself in the batch.
/// </summary>
public sealed class E4eEncoderFixture : IParityFixture
{
    const long ItemStride = 7;

    public string Folder => "e4e_encoder";

    public void Run(FixtureContext ctx)
    {
        var config = PspFixtureSetup.Config(ctx) with { EncoderType = EncoderType.Encoder4Editing };
        long stored = ctx.File("inputs")["x_256"].size(0);

        using var encoder = new GradualStyleEncoder(config);
        var order = ModuleState.OfficialOrder(encoder, PspWeights.EncoderPrefix);
        KeysFile.Check(ctx, order);
        FormulaWeights.Fill(order, ctx.Formula, PspRules.For(config));
        encoder.eval();
        using var latentAvg = ctx.Input(PspFixtureSetup.LatentAvgId, config.NStyles, config.StyleDim);
        ctx.Compare("inputs/latent_avg", latentAvg);

        using var x = Items(ctx, config, stored + 1);                      // [B+1,3,256,256]
        ctx.Compare("inputs/x_256", x.narrow(0, 0, stored));

        using var _ = inference_mode();
        using var features = encoder.Encode(x);
        Tensor Stored(Tensor t) => t.narrow(0, 0, stored);
        ctx.Compare("c1", Stored(features.C1));
        ctx.Compare("c2", Stored(features.C2));
        ctx.Compare("c3", Stored(features.C3));
        using var codes = Stored(features.Codes);                            // [B,18,512]
        ctx.Compare("w0", codes.select(1, 0));
        using var deltas = Encoder4Editing.Deltas(codes);
        ctx.Compare("deltas", deltas);
        ctx.Compare("codes_raw", codes);
        using var latent = codes.Plus(latentAvg);
        ctx.Compare("latent", latent);

        using var alone = encoder.call(x.narrow(0, stored, 1));
        ctx.Compare($"batch{stored + 1}/item{stored}_codes_alone", features.Codes.narrow(0, stored, 1), alone);
    }

    /// <summary>Items 0…n−1 of the fixture's input: the pipeline image of formula k = origin + 7b, area-downsampled.</summary>
    static Tensor Items(FixtureContext ctx, PspConfig config, long n)
    {
        using var scope = NewDisposeScope();
        var origin = ctx.FormulaJson["input_ids"]?[PspFixtureSetup.OriginId] ?? throw new InvalidDataException($"formula.json has no input '{PspFixtureSetup.OriginId}'");
        long k0 = origin["k"]!.GetValue<long>();
        double a = origin["A"]?.GetValue<double>() ?? 1.0, c = origin["C"]?.GetValue<double>() ?? 0.0;
        var items = Enumerable.Range(0, (int)n).Select(b =>
            FormulaWeights.Input(ctx.Formula, k0 + ItemStride * b, [1, config.InputChannels, config.OutputSize, config.OutputSize], a, c)).ToList();
        return Composition.AreaDownsample(cat(items, 0), config.InputSize).MoveToOuterDisposeScope();
    }
}
