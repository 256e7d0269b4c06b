using Pipeline.Editing.Runtime;
using System.Runtime.CompilerServices;
using Pipeline.Editing.Networks.StyleGan2;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Psp;

/// <summary>
/// pSp (pixel2style2pixel, Richardson et al., CVPR 2021) as the paper uses it for GAN inversion: the
/// GradualStyleEncoder predicts W+ offsets from <c>latent_avg</c>, the StyleGAN2 generator decodes them, and
/// <c>face_pool</c> brings the image to 256².
/// </summary>
public sealed class Psp : nn.Module<Tensor, Tensor>
{
    private readonly GradualStyleEncoder encoder;
    private readonly StyleGan2Generator decoder;
    private readonly AdaptiveAvgPool2d face_pool;

    // latent_avg is a separate checkpoint entry, not part of the state dict; a Tensor field would be registered as a
    // persistent buffer, so it is held in a box.
    readonly StrongBox<Tensor?> _latentAvg = new(null);

    public Psp(PspConfig config) : base(nameof(Psp))
    {
        config.Validate();
        Config = config;
        encoder = new GradualStyleEncoder(config);
        decoder = new StyleGan2Generator(DecoderConfig(config));
        if (decoder.Config.NLatent != config.NStyles)
            throw new ArgumentException($"the encoder predicts {config.NStyles} W+ rows but the decoder takes {decoder.Config.NLatent}");
        face_pool = nn.AdaptiveAvgPool2d([config.FacePoolSize, config.FacePoolSize]);
        RegisterComponents();
    }

    /// <summary>The decoder pSp builds: <c>Generator(output_size, 512, 8)</c> with rosinality's defaults.</summary>
    public static StyleGan2Config DecoderConfig(PspConfig config) =>
        new(config.OutputSize, config.StyleDim, config.MappingLayers, config.ChannelMultiplier, config.LrMlp) { Channels = config.DecoderChannels };

    public PspConfig Config { get; }
    public GradualStyleEncoder Encoder => encoder;
    public StyleGan2Generator Decoder => decoder;

    /// <summary>The average W+ code <c>[n_styles,style_dim]</c> the encoder's codes are offsets from (null until set).</summary>
    public Tensor? LatentAvg => _latentAvg.Value;

    /// <summary>Sets <c>latent_avg</c> (a copy is kept); null clears it.</summary>
    public void SetLatentAvg(Tensor? latentAvg)
    {
        if (latentAvg is not null && (latentAvg.dim() != 2 || latentAvg.shape[0] != Config.NStyles || latentAvg.shape[1] != Config.StyleDim))
            throw new ArgumentException($"latent_avg must be [{Config.NStyles},{Config.StyleDim}], got [{string.Join(",", latentAvg.shape)}]", nameof(latentAvg));
        _latentAvg.Value?.Dispose();
        _latentAvg.Value = latentAvg is null ? null : Runtime.TensorCopy.DetachedFloat32Copy(latentAvg);
    }

    /// <summary>The face-pooled inversion of <paramref name="x"/> with the official defaults (fresh noise).</summary>
    public override Tensor forward(Tensor x)
    {
        using var output = Invert(x, PspRunOptions.Official);
        return output.Image.alias();
    }

    /// <summary>pSp.forward(x, resize, randomize_noise, return_latents=True): image and W+ latent.</summary>
    public PspOutput Invert(Tensor x, PspRunOptions? options = null)
    {
        options ??= PspRunOptions.Official;
        using var scope = NewDisposeScope();
        var latent = Encode(x);                                  // [B,n_styles,512]
        var image = Decode(latent, options.Noise, options.Resize); // [B,3,S,S] or [B,3,pool,pool]
        return new PspOutput(image.MoveToOuterDisposeScope(), latent.MoveToOuterDisposeScope());
    }

    /// <summary>The W+ latent of <paramref name="x"/>: encoder codes, plus <c>latent_avg</c> when the config starts from it.</summary>
    public Tensor Encode(Tensor x)
    {
        using var scope = NewDisposeScope();
        var codes = encoder.call(x);
        return AddLatentAvg(codes).MoveToOuterDisposeScope();
    }

    /// <summary><c>codes + latent_avg.repeat(B,1,1)</c> when <see cref="PspConfig.StartFromLatentAvg"/>, else the codes.</summary>
    public Tensor AddLatentAvg(Tensor codes)
    {
        if (!Config.StartFromLatentAvg) return codes.alias();
        var avg = _latentAvg.Value ?? throw new InvalidOperationException("pSp starts from latent_avg but none was loaded (checkpoint entry 'latent_avg')");
        using var scope = NewDisposeScope();
        return codes.Plus(avg.to(codes.device)).MoveToOuterDisposeScope();   // broadcast over the batch
    }

    /// <summary>decoder([latent], input_is_latent=True, randomize_noise) and, when <paramref name="resize"/>, face_pool.</summary>
    public Tensor Decode(Tensor latent, NoiseSource noise, bool resize)
    {
        using var scope = NewDisposeScope();
        var generated = decoder.Generate(latent, new GenerateOptions { InputIsLatent = true, Noise = noise });
        var image = resize ? face_pool.call(generated.Image) : generated.Image;
        return image.MoveToOuterDisposeScope();
    }

    /// <summary><c>face_pool</c>: adaptive average pooling to <see cref="PspConfig.FacePoolSize"/>².</summary>
    public Tensor FacePool(Tensor image) => face_pool.call(image);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _latentAvg.Value?.Dispose();
            _latentAvg.Value = null;
        }
        base.Dispose(disposing);
    }
}
