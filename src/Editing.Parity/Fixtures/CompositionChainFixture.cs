using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// <c>composition/inputs/manipulated_1024</c> produced by chaining pSp: invert the formula image, move the latent
/// along the normalised direction by alpha, decode at full size with the stored noise. This is also the full-size
/// (1024) generator parity check.
/// </summary>
public sealed class CompositionChainFixture : IParityFixture
{
    public string Folder => "composition";

    public void Run(FixtureContext ctx)
    {
        var config = PspFixtureSetup.Config(ctx);
        var noise = PspFixtureSetup.Noise(ctx);
        var reference = ctx.File("inputs")["manipulated_1024"];
        using var psp = PspFixtureSetup.FormulaPsp(ctx, config);
        using var direction = PspFixtureSetup.Direction(ctx, config);
        using var x = PspFixtureSetup.EncoderInput(ctx, config, reference.size(0));

        using var _ = inference_mode();
        using var latent = psp.Encode(x);
        using var edited = direction.Apply(latent, PspFixtureSetup.Alpha(ctx));
        using var manipulated = psp.Decode(edited, noise, resize: false);
        ctx.Compare("inputs/manipulated_1024", manipulated);
    }
}
