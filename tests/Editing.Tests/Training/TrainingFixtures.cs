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

    public void Dispose() => Directory.Delete(Root, recursive: true);

    public static double Mean(IEnumerable<double> values) => values.Average();
}
