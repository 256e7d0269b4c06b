using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Discriminator;

namespace Pipeline.World.Training;

/// <summary>
/// The small configurations of the demo pack: 64² images (128² would cost four times the compute per step, more than
/// two CPU cores allow in the training budget), a 64-wide W+ with 10 rows, a narrow IR-SE encoder and StyleGAN2 channel
/// tables a few dozen channels wide. Key layouts are the official ones; only widths and depths shrink.
/// </summary>
public static class DemoPackConfig
{
    public const int ImageSize = 64;
    public const int StyleDim = 64;

    public static Dictionary<int, int> GeneratorChannels => new() { [4] = 64, [8] = 64, [16] = 64, [32] = 32, [64] = 16 };
    public static Dictionary<int, int> DiscriminatorChannels => new() { [4] = 64, [8] = 64, [16] = 32, [32] = 16, [64] = 16 };

    public static EncoderEntry Encoder => new()
    {
        File = ModelPackWriter.EncoderFile,
        EncoderDepth = 50,
        EncoderWidths = new() { 16, 32, 48, 64 },
        EncoderUnits = new() { 1, 2, 3, 1 },
        InputSize = ImageSize,
        StyleDim = StyleDim,
        CoarseStyles = 3,
        MiddleStylesEnd = 7,
        Generator = new GeneratorEntry { Size = ImageSize, StyleDim = StyleDim, NMlp = 2, ChannelMultiplier = 1, LrMlp = 0.01, Channels = GeneratorChannels },
    };

    public static StyleGan2DiscriminatorConfig Discriminator => new(ImageSize, ChannelMultiplier: 1) { Channels = DiscriminatorChannels };
}
