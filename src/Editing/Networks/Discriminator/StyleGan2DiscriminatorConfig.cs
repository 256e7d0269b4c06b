using Pipeline.Editing.Networks.StyleGan2;

namespace Pipeline.Editing.Networks.Discriminator;

/// <summary>mmgen <c>StyleGAN2Discriminator(in_size, channel_multiplier)</c>; the official one is in_size 1024, cm 2.</summary>
public sealed record StyleGan2DiscriminatorConfig(int InSize = 1024, int ChannelMultiplier = 2)
{
    public IReadOnlyList<double> BlurKernel { get; init; } = StyleGan2Config.DefaultBlurKernel;
    public int MbstdGroupSize { get; init; } = MiniBatchStdDev.DefaultGroupSize;
    public int MbstdChannelGroups { get; init; } = MiniBatchStdDev.DefaultChannelGroups;

    /// <summary>Channels per resolution; null uses the official StyleGAN2 table.</summary>
    public IReadOnlyDictionary<int, int>? Channels { get; init; }

    public int LogSize
    {
        get
        {
            if (InSize < 8 || (InSize & (InSize - 1)) != 0) throw new ArgumentException($"discriminator in_size must be a power of two ≥ 8, got {InSize}");
            return (int)Math.Round(Math.Log2(InSize));
        }
    }

    public int ChannelsAt(int resolution) => StyleGan2Channels.At(resolution, ChannelMultiplier, Channels);
}
