using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.Vgg;
using static TorchSharp.torch;
using TorchSharp;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// <c>perceptual_vgg16</c>: the deghosting perceptual loss with formula VGG16 weights (gain g from the run
/// configuration) on scaled generator-fixture images: the conv4_3 features, the loss and the pixel MSE.
/// </summary>
public sealed partial class PerceptualVgg16Fixture : IParityFixture
{
    /// <summary>The fixture folder whose outputs provide the images when the run configuration names none.</summary>
    const string DefaultSourceFolder = "stylegan2_generator";
    const string KeepImageNetNorm = "imagenet_norm";

    public string Folder => "perceptual_vgg16";

    public static Func<string, long[], FormulaRule> Rules(PerceptualLoss loss, double gain) =>
        TorchLayerFormulaRules.For(loss, gain, name => name is "vgg.mean" or "vgg.std" ? FormulaRule.KeepAs(KeepImageNetNorm) : null);

    public void Run(FixtureContext ctx)
    {
        double gain = ctx.ConfigDouble("plain_weight_gain_g", 1.0);
        int layer = int.Parse(ctx.ConfigString("layer") ?? PerceptualLossConfig.Conv4_3.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var config = PerceptualLossConfig.Official with { LayerWeights = new Dictionary<int, double> { [layer] = 1.0 } };
        using var loss = new PerceptualLoss(config);
        loss.eval();
        FormulaWeights.Fill(ModuleState.OfficialOrder(loss), ctx.Formula, Rules(loss, gain));

        using var _ = inference_mode();
        var x = Image(ctx, "x");
        var gt = Image(ctx, "gt");
        ctx.Compare("inputs/x_first_row", x[.., .., ..1, ..]);
        ctx.Compare("inputs/gt_first_row", gt[.., .., ..1, ..]);

        ctx.Compare("conv4_3_x", loss.Features(x)[layer]);
        var reference = ctx.File("outputs");
        ctx.Compare("perceptual_loss", loss.forward(x, gt).reshape(reference["perceptual_loss"].shape));
        ctx.Compare("pixel_mse", nn.functional.mse_loss(x, gt).reshape(reference["pixel_mse"].shape));
    }

    /// <summary>
    /// An image named like <c>0.25*img_from_z[0:1]</c> (run configuration) or <c>0.25*stylegan2_generator img_from_z[0:1]</c>
    /// (inputs metadata, which also names the folder): multiplier · batch slice of a sibling folder's output.
    /// </summary>
    static Tensor Image(FixtureContext ctx, string key)
    {
        var spec = ctx.ConfigString(key)
            ?? (ctx.File("inputs").Metadata.TryGetValue(key, out var m) ? m : null)
            ?? throw new InvalidDataException($"perceptual_vgg16: no recipe for input '{key}'");
        var match = ImageSpec().Match(spec);
        if (!match.Success) throw new InvalidDataException($"perceptual_vgg16: cannot read input recipe '{spec}'");
        using Scalar multiplier = double.Parse(match.Groups["mul"].Value, CultureInfo.InvariantCulture);
        var folder = match.Groups["folder"].Success ? match.Groups["folder"].Value : DefaultSourceFolder;
        long from = long.Parse(match.Groups["from"].Value, CultureInfo.InvariantCulture);
        long to = long.Parse(match.Groups["to"].Value, CultureInfo.InvariantCulture);
        using var source = SafeTensorsFile.Read(Path.Combine(ctx.Dir, "..", folder, "outputs.safetensors"));
        return source[match.Groups["tensor"].Value].narrow(0, from, to - from) * multiplier;
    }

    [GeneratedRegex(@"^\s*(?<mul>[0-9.eE+-]+)\s*\*\s*(?:(?<folder>\w+)\s+)?(?<tensor>\w+)\[(?<from>\d+):(?<to>\d+)\]\s*$")]
    private static partial Regex ImageSpec();
}
