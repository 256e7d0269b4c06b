using Pipeline.Editing.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// rosinality's StyleGAN2 <c>Generator</c> (the pSp decoder, rosinality's <c>model.py</c>); its state_dict keys and
/// order are the official ones. The mmgen generator inside Deghosting is the same module read through
/// <see cref="MmgenGeneratorLayout"/>.
/// <para>
/// Synthesis can be driven a stage at a time (<see cref="SynthesisStart"/>, <see cref="SynthesisStage"/>), so that a
/// caller can inject features before each up-conv and collect the features after it (GLEAN/Deghosting):
/// <code>
/// var noise = g.NoiseFor(NoiseSource.Stored, batch, device);
/// var (x, rgb) = g.SynthesisStart(latent, noise);          // const 4×4 → conv1 → to_rgb1
/// for (int t = 0; t &lt; g.Config.Stages; t++)
/// {
///     // fuse into x / rgb here (resolution x.shape[2], before the up-conv of stage t)
///     (x, rgb) = g.SynthesisStage(t, x, rgb, latent, noise, withRgb: t &lt; g.Config.Stages - 1);
///     // x: features at 8·2^t after convs[2t], convs[2t+1]
/// }
/// </code>
/// W+ rows: conv1 0, to_rgb1 1; stage t: up-conv 2t+1, conv 2t+2, to_rgb 2t+3. Noise layers: conv1 0, stage t: 2t+1, 2t+2.
/// </para>
/// </summary>
public sealed class StyleGan2Generator : nn.Module<Tensor, Tensor>
{
    const int ConvKernel = 3;

    readonly Sequential style;
    readonly ConstantInput input;
    readonly StyledConv conv1;
    readonly ToRGB to_rgb1;
    readonly ModuleList<StyledConv> convs;
    readonly ModuleList<nn.Module> upsamples;
    readonly ModuleList<ToRGB> to_rgbs;
    readonly NoiseBuffers noises;

    public StyleGan2Generator(StyleGan2Config config) : base(nameof(StyleGan2Generator))
    {
        config.Validate();
        Config = config;
        var mode = config.EqualizedLr;
        var blur = config.BlurKernel;

        var mapping = new List<nn.Module<Tensor, Tensor>> { new PixelNorm(mode) };
        for (int i = 0; i < config.NMlp; i++)
            mapping.Add(new EqualLinear(config.StyleDim, config.StyleDim, lrMul: config.LrMlp, fusedLeakyRelu: true, mode: mode));
        style = nn.Sequential(mapping);

        int c4 = config.ChannelsAt(4);
        input = new ConstantInput(c4);
        conv1 = new StyledConv(c4, c4, ConvKernel, config.StyleDim, blurKernel: blur, mode: mode);
        to_rgb1 = new ToRGB(c4, config.StyleDim, upsample: false, blurKernel: blur, mode: mode);

        var convList = new List<StyledConv>();
        var rgbList = new List<ToRGB>();
        int previous = c4;
        for (int res = 8; res <= config.Size; res *= 2)
        {
            int c = config.ChannelsAt(res);
            convList.Add(new StyledConv(previous, c, ConvKernel, config.StyleDim, upsample: true, blurKernel: blur, mode: mode));
            convList.Add(new StyledConv(c, c, ConvKernel, config.StyleDim, blurKernel: blur, mode: mode));
            rgbList.Add(new ToRGB(c, config.StyleDim, blurKernel: blur, mode: mode));
            previous = c;
        }
        convs = nn.ModuleList(convList.ToArray());
        upsamples = nn.ModuleList<nn.Module>();
        to_rgbs = nn.ModuleList(rgbList.ToArray());
        noises = new NoiseBuffers(config.NumLayers);
        RegisterComponents();
    }

    public StyleGan2Config Config { get; }

    public ConstantInput Input => input;
    public StyledConv Conv1 => conv1;
    public ToRGB ToRgb1 => to_rgb1;

    /// <summary>convs[j]: even j is the 2× up-conv of stage j/2, odd j the conv after it.</summary>
    public StyledConv Conv(int j) => convs[j];

    public ToRGB ToRgb(int stage) => to_rgbs[stage];

    public NoiseBuffers Noises => noises;

    /// <summary>The mapping network <c>style</c>: PixelNorm then n_mlp EqualLinear with fused lrelu.</summary>
    public Sequential Mapping => style;

    /// <summary>Synthesis from a W+ latent <c>[B,n_latent,style_dim]</c> with the stored noise; returns the image.</summary>
    public override Tensor forward(Tensor latent) => Synthesize(latent, NoiseFor(NoiseSource.Stored, latent.shape[0], latent.device));

    /// <summary>z <c>[B,style_dim]</c> → w <c>[B,style_dim]</c>.</summary>
    public Tensor Map(Tensor z) => style.call(z);

    /// <summary>The mapping network's intermediate outputs: after PixelNorm, then after each EqualLinear (n_mlp + 1 tensors, the last is w).</summary>
    public List<Tensor> MapSteps(Tensor z)
    {
        var steps = new List<Tensor>();
        var x = z;
        foreach (var layer in style.children().Cast<nn.Module<Tensor, Tensor>>())
        {
            x = layer.call(x);
            steps.Add(x);
        }
        return steps;
    }

    /// <summary>Truncation trick: <c>t + ψ·(s − t)</c>.</summary>
    public static Tensor Truncate(Tensor style, double psi, Tensor truncationLatent)
    {
        using var scope = NewDisposeScope();
        using Scalar p = psi;
        return truncationLatent.Plus(p * (style - truncationLatent)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The W+ latent <c>[B,n_latent,style_dim]</c>: one W style <c>[B,style_dim]</c> is repeated over all rows, one W+ style is
    /// used as is; two W styles are mixed at <paramref name="injectIndex"/> (rows before it from the first style).
    /// </summary>
    public Tensor ComposeLatent(IReadOnlyList<Tensor> styles, int? injectIndex = null)
    {
        int n = Config.NLatent;
        using var scope = NewDisposeScope();
        Tensor latent;
        switch (styles.Count)
        {
            case 1:
                var s = styles[0];
                if (s.dim() < 3) latent = s.unsqueeze(1).repeat(1, n, 1);
                else if (s.dim() == 3 && s.shape[1] == n) latent = s.alias();
                else throw new ArgumentException($"a W+ style must be [B,{n},{Config.StyleDim}], got [{string.Join(",", s.shape)}]", nameof(styles));
                break;
            case 2:
                int inject = injectIndex ?? Random.Shared.Next(1, n);
                if (inject < 1 || inject >= n) throw new ArgumentOutOfRangeException(nameof(injectIndex), inject, $"inject_index must lie in [1, {n - 1}]");
                if (styles[0].dim() != 2 || styles[1].dim() != 2) throw new ArgumentException("style mixing takes two W styles [B,style_dim]", nameof(styles));
                latent = cat(new[] { styles[0].unsqueeze(1).repeat(1, inject, 1), styles[1].unsqueeze(1).repeat(1, n - inject, 1) }, 1);
                break;
            default:
                throw new ArgumentException($"the generator takes one style or two (mixing), got {styles.Count}", nameof(styles));
        }
        return latent.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The per-layer noise maps of one pass. For <see cref="NoiseSource.Stored"/> and explicit maps these are the live
    /// tensors (do not dispose them); random maps are new tensors in the current dispose scope.
    /// </summary>
    public IReadOnlyList<Tensor> NoiseFor(NoiseSource source, long batch, Device device)
    {
        int layers = Config.NumLayers;
        switch (source)
        {
            case NoiseSource.StoredBuffers:
                return noises.All;
            case NoiseSource.ExplicitMaps e:
                if (e.PerLayer.Count != layers) throw new ArgumentException($"explicit noise needs {layers} maps, got {e.PerLayer.Count}", nameof(source));
                for (int j = 0; j < layers; j++)
                {
                    var m = e.PerLayer[j];
                    long r = StyleGan2Config.NoiseResolution(j);
                    if (m.dim() != 4 || (m.shape[0] != 1 && m.shape[0] != batch) || m.shape[1] != 1 || m.shape[2] != r || m.shape[3] != r)
                        throw new ArgumentException($"noise map {j} must be [1 or {batch},1,{r},{r}], got [{string.Join(",", m.shape)}]", nameof(source));
                }
                return e.PerLayer;
            case NoiseSource.SeededRandom s:
            {
                // Drawn on the CPU, so a seed gives the same maps on every device.
                using var generator = new Generator(s.Seed, CPU);
                return Enumerable.Range(0, layers).Select(j => Draw(batch, j, CPU, generator).to(device)).ToList();
            }
            case NoiseSource.FreshRandom:
                return Enumerable.Range(0, layers).Select(j => Draw(batch, j, device, null)).ToList();
            default:
                throw new ArgumentException($"unknown noise source {source}", nameof(source));
        }
    }

    static Tensor Draw(long batch, int layer, Device device, Generator? generator)
    {
        long r = StyleGan2Config.NoiseResolution(layer);
        return randn(new[] { batch, 1, r, r }, device: device, generator: generator);
    }

    /// <summary>const 4×4 → conv1 (row 0, noise 0) → to_rgb1 (row 1).</summary>
    public (Tensor Features, Tensor Rgb) SynthesisStart(Tensor latent, IReadOnlyList<Tensor?> noise, FeatureTaps? taps = null)
    {
        CheckLatent(latent);
        using var scope = NewDisposeScope();
        // Channels-last from the constant on: every later map, up to 1024², keeps the layout (ChannelsLast).
        var x = ChannelsLast.Of(input.call(latent));                       // [B,512,4,4]
        x = conv1.call(x, latent.select(1, 0), noise[0]);
        taps?.Record("conv1", x);
        var rgb = to_rgb1.call(x, latent.select(1, 1), null);             // [B,3,4,4]
        taps?.Record("to_rgb1", rgb);
        return (x.MoveToOuterDisposeScope(), rgb.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Stage t: up-conv (row 2t+1, noise 2t+1), conv (row 2t+2, noise 2t+2), then, when <paramref name="withRgb"/>,
    /// to_rgb (row 2t+3) added to the upsampled <paramref name="rgb"/>; otherwise the returned RGB is null.
    /// </summary>
    public (Tensor Features, Tensor? Rgb) SynthesisStage(int stage, Tensor features, Tensor? rgb, Tensor latent,
        IReadOnlyList<Tensor?> noise, bool withRgb = true, FeatureTaps? taps = null)
    {
        if (stage < 0 || stage >= Config.Stages) throw new ArgumentOutOfRangeException(nameof(stage), stage, $"stages are 0..{Config.Stages - 1}");
        CheckLatent(latent);
        using var scope = NewDisposeScope();
        int i = 2 * stage + 1;
        var up = convs[2 * stage].call(features, latent.select(1, i), noise[i]);
        taps?.Record($"convs.{2 * stage}", up);
        var x = convs[2 * stage + 1].call(up, latent.select(1, i + 1), noise[i + 1]);
        up.Dispose();                                                      // 256 MB at 1024: free before to_rgb
        taps?.Record($"convs.{2 * stage + 1}", x);
        Tensor? skip = null;
        if (withRgb)
        {
            skip = to_rgbs[stage].call(x, latent.select(1, i + 2), rgb);
            taps?.Record($"to_rgbs.{stage}", skip);
        }
        return (x.MoveToOuterDisposeScope(), skip?.MoveToOuterDisposeScope());
    }

    /// <summary>The whole synthesis network: W+ latent <c>[B,n_latent,style_dim]</c> → image <c>[B,3,S,S]</c>.</summary>
    public Tensor Synthesize(Tensor latent, IReadOnlyList<Tensor?> noise, FeatureTaps? taps = null)
    {
        if (noise.Count != Config.NumLayers) throw new ArgumentException($"synthesis needs {Config.NumLayers} noise maps, got {noise.Count}", nameof(noise));
        using var scope = NewDisposeScope();
        var (x, rgb) = SynthesisStart(latent, noise, taps);
        for (int t = 0; t < Config.Stages; t++)
        {
            var (nx, nrgb) = SynthesisStage(t, x, rgb, latent, noise, withRgb: true, taps);
            x.Dispose();
            rgb.Dispose();
            (x, rgb) = (nx, nrgb!);
        }
        return rgb.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>rosinality's <c>Generator.forward</c>: styles → (mapping) → (truncation) → W+ → synthesis.</summary>
    public StyleGan2Output Generate(IReadOnlyList<Tensor> styles, GenerateOptions? options = null)
    {
        options ??= GenerateOptions.Default;
        if (styles.Count == 0) throw new ArgumentException("at least one style is needed", nameof(styles));
        using var scope = NewDisposeScope();
        var ws = options.InputIsLatent ? styles.ToList() : styles.Select(Map).ToList();
        if (options.Truncation < 1)
        {
            var t = options.TruncationLatent ?? throw new ArgumentException("truncation < 1 needs a truncation latent", nameof(options));
            ws = ws.Select(s => Truncate(s, options.Truncation, t)).ToList();
        }
        var latent = ComposeLatent(ws, options.InjectIndex);
        var noise = NoiseFor(options.Noise, latent.shape[0], latent.device);
        var image = Synthesize(latent, noise, options.Taps);
        return new StyleGan2Output(image.MoveToOuterDisposeScope(), latent.MoveToOuterDisposeScope());
    }

    public StyleGan2Output Generate(Tensor style, GenerateOptions? options = null) => Generate(new[] { style }, options);

    void CheckLatent(Tensor latent)
    {
        if (latent.dim() != 3 || latent.shape[1] != Config.NLatent || latent.shape[2] != Config.StyleDim)
            throw new ArgumentException($"the W+ latent must be [B,{Config.NLatent},{Config.StyleDim}], got [{string.Join(",", latent.shape)}]", nameof(latent));
    }
}
