using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Deghosting;
using Pipeline.Editing.Networks.DiffCam;
using Pipeline.Editing.Networks.Psp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Method;

/// <summary>
/// A model pack of tiny randomly initialised networks (32² images) in the official file layouts: enough to run the
/// whole method, the loaders and the CLI quickly. The numbers it produces mean nothing; the plumbing is what is tested.
/// </summary>
public static class TinyModelPack
{
    public const int ImageSize = 32;
    public static readonly string[] Attributes = { "smile", "eyeglasses" };

    public static ModelPackManifest Create(string dir, long seed = 1)
    {
        Directory.CreateDirectory(dir);
        manual_seed(seed);
        var genChannels = new Dictionary<int, int> { [4] = 32, [8] = 32, [16] = 16, [32] = 16 };
        var manifest = new ModelPackManifest
        {
            Name = "tiny-test",
            ImageSize = ImageSize,
            Encoder = new EncoderEntry
            {
                File = ModelPackWriter.EncoderFile, InputSize = 32, StyleDim = 64, CoarseStyles = 2, MiddleStylesEnd = 4,
                Generator = new GeneratorEntry { Size = ImageSize, StyleDim = 64, NMlp = 2, ChannelMultiplier = 1, Channels = genChannels },
            },
            DiffCam = new DiffCamEntry { File = ModelPackWriter.DiffCamFile, ResnetDepth = 18, BaseWidth = 8, SharedLayer3Blocks = 1, NumClass = 2, InputSize = 32 },
            Deghosting = new DeghostingEntry
            {
                File = ModelPackWriter.DeghostingFile, InSize = 8, OutSize = ImageSize, StyleChannels = 64, NumBlocks = 1, NumMid = 8, NumGrow = 4,
                DecoderTailChannels = 8, Channels = genChannels,
            },
            Directions = Attributes.Select((a, i) => new DirectionEntry { Name = a, File = $"directions/{a}.npy", ClassIndex = i, UnitStrength = 3 }).ToList(),
        };

        using (var psp = new Pipeline.Editing.Networks.Psp.Psp(EditModels.PspConfigOf(manifest)))
        {
            using var z = randn(256, 64);
            using var w = psp.Decoder.Map(z).mean([0]);
            using var avg = w.unsqueeze(0).expand(psp.Config.NStyles, -1).contiguous();
            psp.SetLatentAvg(avg);
            // StyleGAN2 initialises the noise strengths to zero; trained models have non-zero ones.
            using (no_grad())
                foreach (var (name, p) in psp.named_parameters())
                    if (name.EndsWith("noise.weight", StringComparison.Ordinal)) p.fill_(0.3);
            ModelPackWriter.SavePsp(Path.Combine(dir, manifest.Encoder.File), psp);
        }
        using (var dc = new Pipeline.Editing.Networks.DiffCam.DiffCam(EditModels.DiffCamConfigOf(manifest)))
            ModelPackWriter.SaveDiffCam(Path.Combine(dir, manifest.DiffCam.File), dc);
        using (var dg = new DeghostNetwork(EditModels.DeghostingConfigOf(manifest)))
            ModelPackWriter.SaveDeghosting(Path.Combine(dir, manifest.Deghosting.File), dg);
        foreach (var d in manifest.Directions)
        {
            using var n = randn(2 * (int)Math.Log2(ImageSize) - 2, 64, dtype: ScalarType.Float64);
            ModelPackWriter.SaveDirection(Path.Combine(dir, d.File), n);
        }
        return ModelPackWriter.WriteManifest(dir, manifest);
    }

    /// <summary>Smooth random images in [−1,1], [B,3,32,32].</summary>
    public static Tensor Images(int batch, long seed = 7)
    {
        manual_seed(seed);
        using var low = rand(batch, 3, 4, 4) * 2 - 1;
        return nn.functional.interpolate(low, new long[] { ImageSize, ImageSize }, mode: InterpolationMode.Bilinear, align_corners: false);
    }
}
