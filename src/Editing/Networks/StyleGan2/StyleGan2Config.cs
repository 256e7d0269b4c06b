namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// A StyleGAN2 generator (rosinality's <c>Generator(size, style_dim, n_mlp, channel_multiplier)</c>). The official pSp
/// decoder is <c>new StyleGan2Config(1024)</c>; the Deghosting generator is the same network with
/// <see cref="EqualizedLrMode.MmgenFloat32"/> (<see cref="Mmgen"/>).
/// </summary>
/// <param name="Size">output resolution, a power of two ≥ 4</param>
/// <param name="StyleDim">latent width (512)</param>
/// <param name="NMlp">EqualLinear layers of the mapping network (8)</param>
/// <param name="ChannelMultiplier">widens the ≥ 64 resolutions (2 = config-f)</param>
/// <param name="LrMlp">learning-rate multiplier of the mapping network (0.01)</param>
public sealed record StyleGan2Config(int Size, int StyleDim = 512, int NMlp = 8, int ChannelMultiplier = 2, double LrMlp = 0.01)
{
    public static readonly IReadOnlyList<double> DefaultBlurKernel = [1, 3, 3, 1];

    /// <summary>The FIR taps of every blur/upsample (rosinality <c>blur_kernel</c>).</summary>
    public IReadOnlyList<double> BlurKernel { get; init; } = DefaultBlurKernel;

    /// <summary>Channels per resolution; null uses the official table (512 up to 32, then 256·cm, 128·cm, … at 64…1024).</summary>
    public IReadOnlyDictionary<int, int>? Channels { get; init; }

    /// <summary>Rounding of the equalized-lr factors, PixelNorm and linear bias (rosinality or mmgen checkpoints).</summary>
    public EqualizedLrMode EqualizedLr { get; init; } = EqualizedLrMode.RosinalityDouble;

    /// <summary>The mmgen <c>StyleGANv2Generator(out_size, 512)</c> inside Deghosting (and mmgen FFHQ checkpoints).</summary>
    public static StyleGan2Config Mmgen(int size) => new(size) { EqualizedLr = EqualizedLrMode.MmgenFloat32 };

    /// <summary>log2(Size).</summary>
    public int LogSize
    {
        get
        {
            if (Size < 4 || (Size & (Size - 1)) != 0) throw new ArgumentException($"StyleGAN2 size must be a power of two ≥ 4, got {Size}");
            return (int)Math.Round(Math.Log2(Size));
        }
    }

    /// <summary>Synthesis layers that take noise: conv1 plus two per doubling (17 at 1024).</summary>
    public int NumLayers => (LogSize - 2) * 2 + 1;

    /// <summary>W+ rows: one per conv plus one per ToRGB, shared pairwise (18 at 1024).</summary>
    public int NLatent => LogSize * 2 - 2;

    /// <summary>Resolution doublings after 4×4, i.e. entries of <c>to_rgbs</c> (8 at 1024).</summary>
    public int Stages => LogSize - 2;

    public int ChannelsAt(int resolution) => StyleGan2Channels.At(resolution, ChannelMultiplier, Channels);

    /// <summary>Spatial size of noise layer j: 4 for j = 0, then two layers per resolution 8, 16, ….</summary>
    public static int NoiseResolution(int layer) => 1 << ((layer + 5) / 2);

    public void Validate()
    {
        _ = LogSize;
        if (StyleDim <= 0 || NMlp < 0 || ChannelMultiplier <= 0 || LrMlp <= 0)
            throw new ArgumentException($"invalid StyleGAN2 config: style_dim {StyleDim}, n_mlp {NMlp}, channel_multiplier {ChannelMultiplier}, lr_mlp {LrMlp}");
        if (BlurKernel.Count == 0) throw new ArgumentException("the blur kernel needs at least one tap");
        for (int r = 4; r <= Size; r *= 2) _ = ChannelsAt(r);
    }
}
