using Pipeline.Editing.Networks.Discriminator;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Training;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Training;

/// <summary>Tiny images and networks for training tests: 32² smooth images with two labels read off their colours.</summary>
public static class TinyTrainingData
{
    public const int Size = 32;

    public static LabelledImageSet Images(int count, long seed = 5)
    {
        manual_seed(seed);
        using var low = rand(count, 3, 4, 4);
        using var up = nn.functional.interpolate(low, new long[] { Size, Size }, mode: InterpolationMode.Bilinear, align_corners: false);
        using var pixels = (up * 255).round().to_type(ScalarType.Byte);
        using var mean = up.mean(new long[] { 2, 3 });                                     // [N,3]
        using var labels = stack(new[] { mean[.., 0].gt(0.5), mean[.., 2].gt(0.5) }, 1).to_type(ScalarType.Float32);
        return new LabelledImageSet(pixels.clone(), labels.clone(), new[] { "red", "blue" });
    }

    public static PspConfig Psp => new(EncoderDepth: 50, InputSize: Size, OutputSize: Size, StyleDim: 32, CoarseStyles: 2, MiddleStylesEnd: 4,
        FacePoolSize: Size, ChannelMultiplier: 1, MappingLayers: 2)
    {
        DecoderChannels = new Dictionary<int, int> { [4] = 32, [8] = 32, [16] = 16, [32] = 8 },
        EncoderWidths = new[] { 16, 16, 16, 32 },
        EncoderUnits = new[] { 1, 1, 1, 1 },
    };

    public static StyleGan2DiscriminatorConfig Discriminator => new(Size, ChannelMultiplier: 1)
    {
        Channels = new Dictionary<int, int> { [4] = 16, [8] = 16, [16] = 8, [32] = 8 },
    };

    public static Tensor LatentAverage(Pipeline.Editing.Networks.Psp.Psp psp)
    {
        using var z = randn(256, psp.Config.StyleDim);
        using var w = psp.Decoder.Map(z).mean([0]);
        return w.unsqueeze(0).expand(psp.Config.NStyles, -1).contiguous();
    }
}
