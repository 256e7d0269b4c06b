using System.Text.RegularExpressions;
using Pipeline.Editing.Networks.Vgg;
using static TorchSharp.torch;

namespace Pipeline.Editing.Checkpoints;

/// <summary>
/// Loads VGG16 weights into a <see cref="PerceptualLoss"/>: a torchvision <c>vgg16</c> state dict (<c>features.i.*</c>;
/// the classifier and deeper layers are ignored) or PerceptualLoss keys (<c>vgg.vgg_layers.i.*</c>, optionally
/// <c>vgg.mean</c>/<c>vgg.std</c>). Every conv the loss runs must be present with its shape.
/// </summary>
public static class VggWeights
{
    static readonly Regex Layer = new(@"^vgg\.vgg_layers\.(\d+)\.(weight|bias)$");

    public static void Load(PerceptualLoss loss, string path)
    {
        using var ckpt = CheckpointReader.Read(path);
        var source = ckpt.StateDict;
        var problems = new List<string>();
        using var _ = no_grad();
        foreach (var (name, target) in ModuleState.OfficialOrder(loss))
        {
            var m = Layer.Match(name);
            string[] candidates = m.Success
                ? [name, $"features.{m.Groups[1].Value}.{m.Groups[2].Value}", $"vgg_layers.{m.Groups[1].Value}.{m.Groups[2].Value}"]
                : [name];
            var found = candidates.FirstOrDefault(source.ContainsKey);
            if (found is null)
            {
                // The ImageNet mean and std are constants; a file without them keeps the built-in ones.
                if (!m.Success) continue;
                problems.Add($"{name}: missing (looked for {string.Join(", ", candidates)})");
                continue;
            }
            var t = source[found];
            if (!t.shape.SequenceEqual(target.shape)) { problems.Add($"{found}: {DTypes.ShapeText(t.shape)} vs {DTypes.ShapeText(target.shape)}"); continue; }
            Runtime.TensorCopy.CopyConverted(target, t);
        }
        if (problems.Count > 0) throw new CheckpointFormatException(path, "not VGG16 weights for the perceptual loss:\n  " + string.Join("\n  ", problems));
    }
}
