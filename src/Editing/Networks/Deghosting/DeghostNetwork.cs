using Pipeline.Editing.Runtime;
using Pipeline.Editing.Networks.StyleGan2;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Deghosting;

/// <summary>
/// The official <c>Deghosting</c> module (GLEAN, Chan et al. CVPR 2021, with an RRDB encoder): the trainable <c>FCN</c>
/// and a frozen mmgen StyleGAN2 <c>generator</c> driven by the FCN's W+ code with its stored noise. The encoder
/// features are fused into the generator before each up-conv up to the input resolution; the generator features above
/// it feed the decoder, which makes the output. The generator's own RGB image is never used, so its last ToRGB is
/// skipped. State keys: <c>FCN.*</c> as here, <c>generator.*</c> in mmgen names via <see cref="DeghostingKeyLayout"/>.
/// </summary>
public sealed class DeghostNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Fcn FCN;
    private readonly StyleGan2Generator generator;

    public DeghostNetwork(DeghostingConfig config) : base("Deghosting")
    {
        config.Validate();
        Config = config;
        FCN = new Fcn(config);
        generator = new StyleGan2Generator(GeneratorConfig(config));
        RegisterComponents();
        foreach (var p in generator.parameters()) p.requires_grad = false;
    }

    public DeghostingConfig Config { get; }
    public Fcn Fcn => FCN;
    public StyleGan2Generator Generator => generator;

    /// <summary>
    /// The mmgen <c>StyleGANv2Generator(out_size, style_channels)</c>, with the deghosting channel table so that fused
    /// and decoded features always agree in width.
    /// </summary>
    public static StyleGan2Config GeneratorConfig(DeghostingConfig config) =>
        StyleGan2Config.Mmgen(config.OutSize) with { StyleDim = config.StyleChannels, Channels = config.Channels };

    /// <summary>Low-quality composite <c>[B,3,in,in]</c> in [−1,1] → restored image <c>[B,3,out,out]</c> (no tanh).</summary>
    public override Tensor forward(Tensor lq)
    {
        using var scope = NewDisposeScope();
        return Deghost(lq).Output.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The forward pass (encoder, fusion into the generator, decoder), also returning the encoder's outputs;
    /// <paramref name="taps"/> records generator features (<c>conv1</c>, <c>convs.j</c>, <c>to_rgbs.t</c>) after fusion.
    /// <paramref name="computeFinalRgb"/> also runs the last ToRGB, whose image the reference computes and discards (for
    /// benchmarks of what skipping it saves; same output).
    /// </summary>
    public DeghostResult Deghost(Tensor lq, FeatureTaps? taps = null, bool computeFinalRgb = false)
    {
        using var scope = NewDisposeScope();
        lq = ChannelsLast.Of(lq);                                             // the encoder's maps follow (ChannelsLast)
        var encoding = FCN.Encode(lq);                                        // W+ [B,n,512], pyramid in…4
        var latent = encoding.Latent;
        var noise = generator.NoiseFor(NoiseSource.Stored, lq.shape[0], lq.device);
        int stages = generator.Config.Stages;

        var (x, rgb1) = generator.SynthesisStart(latent, noise, taps);        // [B,512,4,4], [B,3,4,4], channels-last
        Tensor? skip = rgb1;                                                  // the generator's RGB skip path
        var generatorFeatures = new List<Tensor>();
        // A dispose scope frees only at its end, so a tensor the loop no longer needs is released at once: at 1024
        // the stage outputs are hundreds of MB each and would otherwise all be alive until the decoder finishes.
        for (int t = 0; t < stages; t++)
        {
            if (x.shape[^1] <= Config.InSize)
            {
                // Fusion level t sits at 4·2^t, the resolution this stage's up-conv reads.
                var e = encoding.FusionFeature(t);
                x = Replace(x, FCN.FuseFeature(t, x, e));                     // [B,ch[r],r,r]
                skip = Replace(skip!, FCN.FuseSkip(t, skip!, e));             // [B,3,r,r]
            }
            // The generator's RGB after the last stage is discarded by the reference, so it is not computed.
            var (next, nextSkip) = generator.SynthesisStage(t, x, skip, latent, noise, withRgb: computeFinalRgb || t < stages - 1, taps);
            if (x.shape[^1] <= Config.InSize) x.Dispose();                  // larger ones are decoder inputs
            skip?.Dispose();
            (x, skip) = (next, nextSkip);
            if (x.shape[^1] > Config.InSize || (Config.SameSize && t == stages - 1)) generatorFeatures.Add(x);   // 2·in … out, or out = in
        }
        var output = FCN.Decode(encoding.InputFeature, generatorFeatures);  // [B,3,out,out]
        // At the same size the input already holds every pixel outside the ghost: the network learns only the change
        // (at 8× there is no output-size input to add, so the reference has no such path).
        if (Config.SameSize) output = output.Plus(lq);
        output = output.contiguous();
        output.MoveToOuterDisposeScope();
        latent.MoveToOuterDisposeScope();
        foreach (var p in encoding.Pyramid) p.MoveToOuterDisposeScope();
        return new DeghostResult(output, encoding);
    }

    static Tensor Replace(Tensor old, Tensor replacement)
    {
        old.Dispose();
        return replacement;
    }
}

/// <summary>The restored image and the encoder outputs it was made from.</summary>
public sealed record DeghostResult(Tensor Output, FcnEncoding Encoding);
