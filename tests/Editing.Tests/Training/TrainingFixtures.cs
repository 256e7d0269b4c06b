using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Tests.Method;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Training;

/// <summary>A tiny model pack and a folder of smooth random images at the pack's size, in a temporary folder.</summary>
public sealed class TrainingWorkspace : IDisposable
{
    /// <param name="diffCamInputSize">
    /// The tiny DiffCam sees 32² pairs, where layer H is 1×1 and every Diff-CAM is constant (a zero mask); at 64² (the
    /// face pool enlarging the 32² images) H is 2×2 and the masks have structure. The weights do not depend on it.
    /// </param>
    public TrainingWorkspace(int imageCount = 10, int? diffCamInputSize = null)
    {
        Root = Directory.CreateTempSubdirectory("train-").FullName;
        Pack = Path.Combine(Root, "pack");
        Images = Path.Combine(Root, "images");
        var manifest = TinyModelPack.Create(Pack);
        if (diffCamInputSize is { } da)
            ModelPackWriter.WriteManifest(Pack, manifest with { DiffCam = manifest.DiffCam with { InputSize = da } });
        Directory.CreateDirectory(Images);
        using var batch = TinyModelPack.Images(imageCount, seed: 11);
        for (int i = 0; i < imageCount; i++)
            ImageWriter.SavePng(RgbImage.FromTensor(batch[i]), Path.Combine(Images, $"img{i:D3}.png"));
    }

    public string Root { get; }
    public string Pack { get; }
    public string Images { get; }

    public string Out(string name) => Path.Combine(Root, name);

    /// <summary>
    /// A ghost set without the editing chain: gt = the images, lq = each image with a darkened, tinted square — a
    /// stand-in for a ghost the network should learn to remove.
    /// </summary>
    public string GhostPairs(string name = "pairs")
    {
        var dir = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.Combine(dir, "lq"));
        Directory.CreateDirectory(Path.Combine(dir, "gt"));
        foreach (var file in Directory.GetFiles(Images))
        {
            var image = ImageReader.Read(file);
            using var gt = image.ToTensor();
            using var lq = gt.clone();
            using (var patch = lq[.., .., 8..20, 10..24]) patch.mul_(0.4).add_(0.3);
            ImageWriter.SavePng(image, Path.Combine(dir, "gt", Path.GetFileName(file)));
            ImageWriter.SavePng(RgbImage.FromTensor(lq), Path.Combine(dir, "lq", Path.GetFileName(file)));
        }
        return dir;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    public static double Mean(IEnumerable<double> values) => values.Average();
}
