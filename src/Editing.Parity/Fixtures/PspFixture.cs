using Pipeline.Editing.Networks.Psp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// <c>psp/</c>: the official pSp (IR-SE50 GradualStyleEncoder + StyleGAN2 decoder) with formula weights, run on the
/// area-downsampled formula image with the stored noise; compares the encoder taps, the codes and the inverted images.
/// </summary>
public sealed class PspFixture : IParityFixture
{
    public string Folder => PspFixtureSetup.PspFolder;

    public void Run(FixtureContext ctx)
    {
        var config = PspFixtureSetup.Config(ctx);
        var noise = PspFixtureSetup.Noise(ctx);
        var outputs = ctx.File("outputs");

        using var x = PspFixtureSetup.EncoderInput(ctx, config, ctx.File("inputs")["x_256"].size(0));
        ctx.Compare("inputs/x_256", x);
        using var psp = PspFixtureSetup.FormulaPsp(ctx, config);
        ctx.Compare("inputs/latent_avg", psp.LatentAvg!);
        using var direction = PspFixtureSetup.Direction(ctx, config);
        using var unitDirection = direction.Vector.unsqueeze(0);   // [1,n_styles,512] as the official code keeps it
        ctx.Compare("inputs/direction_normalized", unitDirection);

        using var _ = inference_mode();
        using var features = psp.Encoder.Encode(x);
        var crop = outputs["input_layer_crop"];
        ctx.Compare("input_layer_crop", features.InputLayer[.., .., ..(int)crop.size(2), ..(int)crop.size(3)]);
        ctx.Compare("c1", features.C1);
        ctx.Compare("c2", features.C2);
        ctx.Compare("c3", features.C3);
        ctx.Compare("p2", features.P2);
        ctx.Compare("codes_raw", features.Codes);
        using var latent = psp.AddLatentAvg(features.Codes);
        ctx.Compare("latent", latent);

        using var full = psp.Decode(latent, noise, resize: false);
        ctx.Compare("inverted_1024_crop", CenterCrop(full, outputs["inverted_1024_crop"]));
        using var pooled = psp.FacePool(full);
        ctx.Compare("inverted_256", pooled);
    }

    /// <summary>The centred window of <paramref name="image"/> with the reference crop's size (rows/cols 480:544 at 1024).</summary>
    static Tensor CenterCrop(Tensor image, Tensor reference)
    {
        long h = reference.size(2), w = reference.size(3);
        long top = (image.size(2) - h) / 2, left = (image.size(3) - w) / 2;
        return image.narrow(2, top, h).narrow(3, left, w);
    }
}
