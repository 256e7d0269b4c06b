using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Discriminator;

namespace Pipeline.World.Training;

/// <summary>
/// The small configurations of the demo pack: 64² images (128² would cost four times the compute per step, more than
/// two CPU cores allow in the training budget), a 64-wide W+ with 10 rows (each row is an affine function of the
/// 49-value factor vector, so 64 is wider than any row's rank), a narrow IR-SE encoder and a StyleGAN2 synthesis of
/// 128 … 48 channels. Key layouts are the official ones; only widths and depths shrink.
/// </summary>
public static class DemoPackConfig
{
    public const int ImageSize = 64;
    public const int StyleDim = 64;

    public static Dictionary<int, int> GeneratorChannels => new() { [4] = 128, [8] = 128, [16] = 96, [32] = 64, [64] = 48 };
    public static Dictionary<int, int> DiscriminatorChannels => new() { [4] = 64, [8] = 64, [16] = 32, [32] = 16, [64] = 16 };

    public static EncoderEntry Encoder => new()
    {
        File = ModelPackWriter.EncoderFile,
        EncoderDepth = 50,
        EncoderWidths = new() { 32, 48, 64, 96 },
        EncoderUnits = new() { 1, 2, 3, 1 },
        InputSize = ImageSize,
        StyleDim = StyleDim,
        CoarseStyles = 3,
        MiddleStylesEnd = 7,
        Generator = new GeneratorEntry { Size = ImageSize, StyleDim = StyleDim, NMlp = 2, ChannelMultiplier = 1, LrMlp = 0.01, Channels = GeneratorChannels },
    };

    public static StyleGan2DiscriminatorConfig Discriminator => new(ImageSize, ChannelMultiplier: 1) { Channels = DiscriminatorChannels };
}
