using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Deghosting;

/// <summary>
/// The trainable part of the deghosting network (reference attribute <c>FCN</c>): the encoder pyramid
/// with its W+ head, the fusion convs that inject encoder features into the generator, and the pixel-shuffle decoder.
/// The generator pass itself lives in <see cref="DeghostNetwork"/>, which calls the pieces here in order.
/// </summary>
public sealed class Fcn : nn.Module
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> encoder;
    private readonly ModuleList<TailSafeConv2d> fusion_out;
    private readonly ModuleList<TailSafeConv2d> fusion_skip;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> decoder;

    const int Kernel = 3;
    const int UpsampleScale = 2;

    public Fcn(DeghostingConfig config) : base(nameof(Fcn))
    {
        config.Validate();
        Config = config;
        encoder = nn.ModuleList<nn.Module<Tensor, Tensor>>();
        encoder.Add(new RrdbNet(config.ImageChannels, config.NumMid, config.Ch(config.InSize), config.NumBlocks, config.NumGrow));
        foreach (var res in config.EncoderResolutions) encoder.Add(EncoderBlock(config, res));

        fusion_out = nn.ModuleList<TailSafeConv2d>();
        fusion_skip = nn.ModuleList<TailSafeConv2d>();
        foreach (var res in config.EncoderResolutions.Reverse())
        {
            int c = config.Ch(res);
            fusion_out.Add(new TailSafeConv2d(2 * c, c, Kernel, padding: 1));
            // At the same size the last fusion meets the generator's output feature, after its RGB skip is done.
            if (!(config.SameSize && res == config.InSize))
                fusion_skip.Add(new TailSafeConv2d(c + config.ImageChannels, config.ImageChannels, Kernel, padding: 1));
        }

        decoder = nn.ModuleList<nn.Module<Tensor, Tensor>>();
        foreach (var res in config.DecoderResolutions)
        {
            // The first decoder level sees only the encoder feature; later ones also the generator feature beside it.
            int inChannels = res == config.InSize ? config.Ch(res) : 2 * config.Ch(res);
            decoder.Add(res < config.OutSize
                ? new PixelShufflePack(inChannels, config.Ch(2 * res), UpsampleScale, Kernel)
                : nn.Sequential(
                    new TailSafeConv2d(inChannels, config.DecoderTailChannels, Kernel, padding: 1),
                    new LeakyReLU(ResidualDenseBlock.NegativeSlope),
                    new TailSafeConv2d(config.DecoderTailChannels, config.ImageChannels, Kernel, padding: 1)));
        }
        RegisterComponents();
    }

    public DeghostingConfig Config { get; }

    /// <summary>Number of fusion levels: one per encoder resolution from 4 up to the input size.</summary>
    public int FusionLevels => fusion_out.Count;

    static nn.Module<Tensor, Tensor> EncoderBlock(DeghostingConfig config, int res)
    {
        int c = config.Ch(res);
        if (res > DeghostingConfig.BaseResolution)
        {
            int next = config.Ch(res / 2);
            return nn.Sequential(
                new TailSafeConv2d(c, next, Kernel, stride: 2, padding: 1), new LeakyReLU(ResidualDenseBlock.NegativeSlope),
                new TailSafeConv2d(next, next, Kernel, padding: 1), new LeakyReLU(ResidualDenseBlock.NegativeSlope));
        }
        int area = DeghostingConfig.BaseResolution * DeghostingConfig.BaseResolution;
        return nn.Sequential(
            new TailSafeConv2d(c, c, Kernel, padding: 1), new LeakyReLU(ResidualDenseBlock.NegativeSlope),
            nn.Flatten(),                                            // feature index c·16 + y·4 + x
            nn.Linear(area * c, config.NumLatents * config.StyleChannels));
    }

    /// <summary>Runs the encoder pyramid and the W+ head on the low-quality input <c>[B,3,in,in]</c>.</summary>
    public FcnEncoding Encode(Tensor lq)
    {
        if (lq.ndim != 4 || lq.shape[1] != Config.ImageChannels || lq.shape[2] != Config.InSize || lq.shape[3] != Config.InSize)
            throw new ArgumentException($"Deghosting input must be [B,{Config.ImageChannels},{Config.InSize},{Config.InSize}], got [{string.Join(",", lq.shape)}]");
        using var scope = NewDisposeScope();
        var outputs = new List<Tensor>(encoder.Count);
        var x = lq;
        foreach (var block in encoder)
        {
            x = block.call(x);                                        // [B, ch[s], s, s] …, then [B, n·512]
            outputs.Add(x);
        }
        long batch = lq.shape[0];
        var latent = outputs[^1].view(batch, Config.NumLatents, Config.StyleChannels);   // [B, n_latent, 512]
        var pyramid = outputs.Take(outputs.Count - 1).ToList();
        latent.MoveToOuterDisposeScope();
        foreach (var p in pyramid) p.MoveToOuterDisposeScope();
        return new FcnEncoding(latent, pyramid);
    }

    /// <summary>Generator feature after fusion at level <paramref name="level"/> (0 = 4²): conv(cat(gen, enc)).</summary>
    public Tensor FuseFeature(int level, Tensor generatorFeature, Tensor encoderFeature)
    {
        using var scope = NewDisposeScope();
        return fusion_out[level].call(cat([generatorFeature, encoderFeature], 1)).MoveToOuterDisposeScope();
    }

    /// <summary>RGB skip after fusion at level <paramref name="level"/>: conv(cat(skip, enc)) back to 3 channels.</summary>
    public Tensor FuseSkip(int level, Tensor skip, Tensor encoderFeature) =>
        fusion_skip[level].ForwardConcatenated([skip, encoderFeature]);

    /// <summary>
    /// The decoder: upsample the input-resolution encoder feature, concatenating the generator feature of each larger
    /// resolution (<paramref name="generatorFeatures"/>, from 2·in up to out) before the next level. When
    /// <see cref="DeghostingConfig.SameSize"/>, the one generator feature is the output-size one, fused with the encoder
    /// feature by the last fusion conv before the decoder's tail, and the result is a correction that
    /// <see cref="DeghostNetwork"/> adds to the input.
    /// </summary>
    public Tensor Decode(Tensor inputFeature, IReadOnlyList<Tensor> generatorFeatures)
    {
        int needed = Config.SameSize ? 1 : decoder.Count - 1;
        if (generatorFeatures.Count != needed)
            throw new ArgumentException($"Deghosting decoder needs {needed} generator features, got {generatorFeatures.Count}");
        using var scope = NewDisposeScope();
        if (Config.SameSize)
        {
            using var fused = FuseFeature(FusionLevels - 1, generatorFeatures[0], inputFeature);   // [B, ch[in], in, in]
            return decoder[0].call(fused).MoveToOuterDisposeScope();                              // [B, 3, in, in]: a correction
        }
        var hr = decoder[0].call(inputFeature);                      // [B, ch[2·in], 2·in, 2·in]
        for (int i = 1; i < decoder.Count; i++)
        {
            // Freed as soon as used: at 1024 the concatenation alone is 512 MB per image.
            using var joined = cat([hr, generatorFeatures[i - 1]], 1);
            var next = decoder[i].call(joined);
            hr.Dispose();
            hr = next;
        }
        return hr.MoveToOuterDisposeScope();                                      // [B, 3, out, out]
    }
}

/// <summary>
/// What the encoder produces: the W+ code <c>[B, n_latent, 512]</c> and the pyramid outputs, where
/// <see cref="Pyramid"/>[j] is <c>encoder[j]</c>'s output (resolution in/2^j).
/// </summary>
public sealed record FcnEncoding(Tensor Latent, IReadOnlyList<Tensor> Pyramid)
{
    /// <summary>The encoder feature that is fused at level <paramref name="level"/> (0 = 4², last = input size).</summary>
    public Tensor FusionFeature(int level) => Pyramid[Pyramid.Count - 1 - level];

    /// <summary>The pyramid feature at the input resolution, which the decoder starts from.</summary>
    public Tensor InputFeature => Pyramid[0];
}
