using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Metrics.Inception;
using Pipeline.Editing.Metrics.Lpips;
using Pipeline.Editing.Tests.Method;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Evaluation;

/// <summary>
/// What an evaluation test needs, made in a temporary folder: a tiny model pack, a few synthetic 32² images, an
/// Inception file and an AlexNet backbone with random weights (so that features depend on the input), and the released
/// LPIPS linear weights from the metrics fixtures (the legacy .pth).
/// </summary>
public sealed class EvaluationSetup : IDisposable
{
    public const int ImageCount = 5;

    public EvaluationSetup()
    {
        Root = Path.Combine(Path.GetTempPath(), $"eval-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Images);
        TinyModelPack.Create(Models);
        using (var images = TinyModelPack.Images(ImageCount, seed: 21))
            for (int i = 0; i < ImageCount; i++)
                ImageWriter.SavePng(RgbImage.FromTensor(images[i]), Path.Combine(Images, $"img{i:D2}.png"));

        manual_seed(4);
        using (var inception = new FidInceptionV3())
        using (var sd = ModuleState.ToStateDict(inception))
            TorchSaveWriter.Write(InceptionFile, sd);

        Directory.CreateDirectory(LpipsDir);
        File.Copy(Path.Combine(FixturePaths.ParityMetrics, "lpips_weights", "alex.pth"), Path.Combine(LpipsDir, "alex.pth"));
        using (var backbone = new LpipsBackbone(LpipsNet.Alex))
        using (var sd = new StateDict())
        {
            // torchvision's layout: features.N.* (LPIPS' sliceK.N.* → features.N.*), as alexnet-owt-*.pth.
            foreach (var (name, t) in ModuleState.OfficialOrder(backbone))
                sd.Add("features." + name[(name.IndexOf('.') + 1)..], t.alias());
            TorchSaveWriter.Write(Path.Combine(LpipsDir, "alexnet-test.pth"), sd);
        }
    }

    public string Root { get; }
    public string Images => Path.Combine(Root, "images");
    public string Models => Path.Combine(Root, "models");
    public string InceptionFile => Path.Combine(Root, "pt_inception-test.pth");
    public string LpipsDir => Path.Combine(Root, "lpips");

    public string NewOutDir(string name) => Path.Combine(Root, name);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
