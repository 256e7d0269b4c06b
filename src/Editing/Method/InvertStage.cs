using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Networks.StyleGan2;
using Pipeline.Editing.Networks.Vgg;
using Pipeline.Editing.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Method;

/// <summary>The inversion of a batch: W+ codes and I' = G(w) at full size.</summary>
public sealed record Inversion(Tensor Latent, Tensor Image) : IDisposable
{
    public void Dispose() { Latent.Dispose(); Image.Dispose(); }
}

/// <summary>How an inversion was made, for item.json: the method, and for a projection its steps, seed and losses.</summary>
public sealed record InversionRecord(string Method, int? Steps = null, ulong? Seed = null, double? LearningRate = null,
    double? PerceptualWeight = null, string? Start = null, string? Perceptual = null);

/// <summary>
/// Paper step 1 and 2: invert I to w with pSp (I is area-downsampled to the encoder's input, as the reference does),
/// I' = G(w); then edit T = G(w + α·n). One inversion serves every edit of the same image. Without an encoder (or when
/// asked), w comes from <see cref="LatentProjection"/> instead. CPU tensors in and out; the networks' device inside.
/// </summary>
public sealed class InvertStage
{
    readonly Psp? _psp;
    readonly StyleGan2Generator _generator;
    readonly Tensor? _latentAvg;
    readonly MethodOptions _options;
    readonly Device _device;
    LatentProjection? _projection;

    /// <summary>The encoder path only (pSp or e4e, and its decoder).</summary>
    public InvertStage(Psp psp, MethodOptions options) : this(psp, psp.Decoder, null, options) { }

    /// <summary>The encoder the options name (by default the pack's main one, when it has one), else projection.</summary>
    public InvertStage(EditModels models, MethodOptions options) : this(EncoderFor(models, options.Inversion), models.Generator, models.LatentAvg, options) { }

    static Psp? EncoderFor(EditModels models, InversionMethod method) => method switch
    {
        InversionMethod.Psp => models.EncoderOf(EncoderType.GradualStyleEncoder),
        InversionMethod.E4e => models.EncoderOf(EncoderType.Encoder4Editing),
        _ => models.HasEncoder ? models.Psp : null,
    };

    /// <summary>The <see cref="InversionMethod"/> that names an encoder type.</summary>
    public static InversionMethod MethodOf(EncoderType type) => type switch
    {
        EncoderType.GradualStyleEncoder => InversionMethod.Psp,
        EncoderType.Encoder4Editing => InversionMethod.E4e,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no inversion method"),
    };

    InvertStage(Psp? psp, StyleGan2Generator generator, Tensor? latentAvg, MethodOptions options)
    {
        _psp = psp;
        _generator = generator;
        _latentAvg = latentAvg ?? psp?.LatentAvg;
        _options = options;
        _device = ComputeDevice.Of(generator);
        Method = options.Inversion switch
        {
            InversionMethod.Auto => psp is null ? InversionMethod.Projection : MethodOf(psp.Config.EncoderType),
            InversionMethod.Encoder or InversionMethod.Psp or InversionMethod.E4e when psp is null =>
                throw new ArgumentException($"--invert {Name(options.Inversion)}: this model pack has no encoder (use --invert projection)"),
            InversionMethod.Encoder => MethodOf(psp!.Config.EncoderType),
            InversionMethod.Psp or InversionMethod.E4e when MethodOf(psp!.Config.EncoderType) != options.Inversion =>
                throw new ArgumentException($"--invert {Name(options.Inversion)}: the encoder given is {psp!.Config.EncoderType}"),
            var m => m,
        };
        if (Method == InversionMethod.Projection) options.Projection.Validate();
    }

    /// <summary>The inversion this stage runs: Psp, E4e or Projection (Auto and Encoder resolved).</summary>
    public InversionMethod Method { get; }

    /// <summary>The name of a method on the command line, in job settings and in item.json.</summary>
    public static string Name(InversionMethod method) => method.ToString().ToLowerInvariant();

    /// <summary>images [B,3,S,S] in [−1,1] → W+ [B,n,512] and I' [B,3,S,S].</summary>
    public Inversion Invert(Tensor images)
    {
        using var scope = NewDisposeScope();
        var latent = Latent(images);
        var image = Decode(latent);
        return new Inversion(latent.OnCpu().MoveToOuterDisposeScope(), image.OnCpu().MoveToOuterDisposeScope());
    }

    /// <summary>images [B,3,S,S] in [−1,1] → W+ [B,n,512] on the networks' device, without rendering I'.</summary>
    public Tensor Latent(Tensor images)
    {
        using var scope = NewDisposeScope();
        if (Method != InversionMethod.Projection)
        {
            var x = Composition.AreaDownsample(images.OnDevice(_device), _psp!.Config.InputSize);   // [B,3,256,256] officially
            return _psp.Encode(x).MoveToOuterDisposeScope();
        }
        using var projected = Projection.Project(images, Noise());
        return projected.Latent.OnDevice(_device).MoveToOuterDisposeScope();
    }

    /// <summary>w' = w + strength·unit·n and T = G(w') [B,3,S,S]; several edits chain by passing w' on.</summary>
    public (Tensor Latent, Tensor Image) Edit(Tensor latent, LoadedDirection direction, double strength)
    {
        using var scope = NewDisposeScope();
        var edited = direction.Direction.Apply(latent.OnDevice(_device), strength * direction.UnitStrength);
        var image = Decode(edited);
        return (edited.OnCpu().MoveToOuterDisposeScope(), image.OnCpu().MoveToOuterDisposeScope());
    }

    /// <summary>The projection this stage runs (built on first use: the VGG weights are read then).</summary>
    public LatentProjection Projection => _projection ??= new LatentProjection(_generator, _latentAvg, _options.Projection, LoadPerceptual(_options.Projection, _device));

    /// <summary>What item.json records about the inversion (computed once: it hashes the VGG weights).</summary>
    public InversionRecord Describe() => _record ??= Record();

    InversionRecord? _record;

    InversionRecord Record()
    {
        if (Method != InversionMethod.Projection) return new InversionRecord(Name(Method));
        var p = _options.Projection;
        var projection = Projection;
        return new InversionRecord("projection", p.Steps, p.Seed, p.LearningRate, projection.UsesPerceptual ? p.PerceptualWeight : 0,
            projection.ResolvedStart == ProjectionStart.LatentAverage ? "latent_avg" : $"mapping mean of {p.MeanSamples} z (seed {p.Seed})",
            projection.UsesPerceptual ? $"VGG16 conv4_3 MSE, weights {Path.GetFileName(p.VggWeights)} (sha256 {FileHash.Sha256(p.VggWeights!)})"
                : p.PerceptualWeight == 0 ? "off (weight 0)" : "DISABLED: no VGG16 weights were given (ImageNet VGG16 is not bundled); pixel MSE only");
    }

    static PerceptualLoss? LoadPerceptual(ProjectionOptions options, Device device)
    {
        if (options.PerceptualWeight == 0 || options.VggWeights is null) return null;
        var loss = new PerceptualLoss(PerceptualLossConfig.Official with { PerceptualWeight = 1 });
        try
        {
            VggWeights.Load(loss, options.VggWeights);
        }
        catch
        {
            loss.Dispose();
            throw;
        }
        loss.to(device);
        loss.eval();
        return loss;
    }

    /// <summary>decoder([w], input_is_latent=True): what pSp.Decode(…, resize: false) runs, also without an encoder.</summary>
    Tensor Decode(Tensor latent)
    {
        using var generated = _generator.Generate(latent, new GenerateOptions { InputIsLatent = true, Noise = Noise() });
        return generated.Image.alias();
    }

    /// <summary>
    /// Stored buffers by default (deterministic). Seeded noise uses the same seed for the inversion and every edit, so
    /// T and I' differ only by the edit — the difference DiffCam is meant to see; the reference draws fresh noise each call.
    /// </summary>
    NoiseSource Noise() => _options.Noise switch
    {
        NoiseMode.Stored => NoiseSource.Stored,
        NoiseMode.Seeded => NoiseSource.Seeded(_options.Seed),
        NoiseMode.Random => NoiseSource.Fresh,
        _ => throw new ArgumentOutOfRangeException(nameof(_options)),
    };
}
