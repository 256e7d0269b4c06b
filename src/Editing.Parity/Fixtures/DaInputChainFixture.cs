using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// <c>da_module/inputs/image_forward</c> produced by chaining pSp:
/// <c>cat(inverted_256, face_pool(manipulated_1024))</c> along channels, the DA module's input in the official pipeline (invert, edit,
/// face-pool both, stack).
/// </summary>
public sealed class DaInputChainFixture : IParityFixture
{
    public string Folder => "da_module";

    public void Run(FixtureContext ctx)
    {
        var config = PspFixtureSetup.Config(ctx);
        var noise = PspFixtureSetup.Noise(ctx);
        var reference = ctx.File("inputs")["image_forward"];
        using var psp = PspFixtureSetup.FormulaPsp(ctx, config);
        using var direction = PspFixtureSetup.Direction(ctx, config);
        using var x = PspFixtureSetup.EncoderInput(ctx, config, reference.size(0));

        using var _ = inference_mode();
        using var latent = psp.Encode(x);
        using var inverted = psp.Decode(latent, noise, resize: true);
        using var edited = direction.Apply(latent, PspFixtureSetup.Alpha(ctx));
        using var manipulated = psp.Decode(edited, noise, resize: true);
        using var imageForward = cat([inverted, manipulated], 1);
        ctx.Compare("inputs/image_forward", imageForward);
    }
}
