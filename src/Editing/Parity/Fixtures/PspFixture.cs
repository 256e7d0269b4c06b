using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Directions;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Parity.Rules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// <c>psp/</c>: the official pSp (IR-SE50 GradualStyleEncoder + StyleGAN2 decoder) with formula weights, run on the
/// area-downsampled formula image; compares the encoder taps, the codes and the inverted images.
/// </summary>
public sealed class PspFixture : IParityFixture
{
    public string Folder => "psp";

    public void Run(FixtureContext ctx)
    {
        var config = PspFixtureSetup.Config(ctx);
        var inputs = ctx.File("inputs");
        var storedX = inputs["x_256"];

        using var encoder = new GradualStyleEncoder(config);
        FormulaWeights.Fill(ModuleState.OfficialOrder(encoder), ctx.Formula, PspRules.Encoder);
        encoder.eval();

        using var x = PspFixtureSetup.EncoderInput(ctx, config, storedX.size(0));
        ctx.Compare("inputs/x_256", x);
        using var latentAvg = ctx.Input(PspFixtureSetup.LatentAvgId, config.NStyles, config.StyleDim);
        ctx.Compare("inputs/latent_avg", latentAvg);
        using var direction = PspFixtureSetup.Direction(ctx, config);
        ctx.Compare("inputs/direction_normalized", direction);

        using var _ = inference_mode();
        using var features = encoder.Encode(x);
        var cropRef = ctx.File("outputs")["input_layer_crop"];
        ctx.Compare("input_layer_crop", features.InputLayer[.., .., ..(int)cropRef.size(2), ..(int)cropRef.size(3)]);
        ctx.Compare("c1", features.C1);
        ctx.Compare("c2", features.C2);
        ctx.Compare("c3", features.C3);
        ctx.Compare("p2", features.P2);
        ctx.Compare("codes_raw", features.Codes);
        using var latent = features.Codes + latentAvg;
        ctx.Compare("latent", latent);
    }
}
