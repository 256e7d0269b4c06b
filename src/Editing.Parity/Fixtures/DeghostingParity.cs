using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Networks.Deghosting;
using Pipeline.Editing.Networks.StyleGan2;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// What the two deghosting folders share: the configuration from <c>run_configs</c>, the formula-filled network, and
/// the comparison of the stored outputs, whose names carry where they come from (pyramid index and/or resolution,
/// generator module, output size).
/// </summary>
static partial class DeghostingParity
{
    public const string Latent = "latent";
    const string GeneratorTapPrefix = "gen.";
    const string Output = "output";

    [GeneratedRegex(@"^encoder_feat_(\d+)$")]
    private static partial Regex FeatureByResolution();

    [GeneratedRegex(@"^encoder_(\d+)_(\d+)$")]
    private static partial Regex FeatureByIndexAndResolution();

    public static DeghostingConfig Config(FixtureContext ctx)
    {
        var official = DeghostingConfig.Official;
        var config = official with
        {
            InSize = RunConfig.Int(ctx, "in_size"),
            OutSize = RunConfig.Int(ctx, "out_size"),
            // Both fixture configurations keep the official RRDB count; a tree may override it.
            NumBlocks = ctx.ConfigInt("num_blocks", official.NumBlocks),
        };
        config.Validate();
        return config;
    }

    public static int Batch(FixtureContext ctx) => RunConfig.Int(ctx, "batch");

    /// <summary>The network in eval mode with every key filled from the formula, k counted in deghosting.pt's order.</summary>
    public static DeghostNetwork Build(FixtureContext ctx, DeghostingConfig config)
    {
        var model = new DeghostNetwork(config);
        model.eval();
        var official = new DeghostingKeyLayout().ToOfficial(ModuleState.OfficialOrder(model));
        FormulaWeights.Fill(official, ctx.Formula, DeghostingFormulaRules.For(config));
        return model;
    }

    /// <summary>Generator features named <c>gen.&lt;tap&gt;</c> in the outputs file (e.g. <c>gen.convs.0</c>).</summary>
    public static FeatureTaps GeneratorTaps(FixtureContext ctx)
    {
        var wanted = ctx.File("outputs").Keys.Where(k => k.StartsWith(GeneratorTapPrefix, StringComparison.Ordinal))
            .Select(k => k[GeneratorTapPrefix.Length..]).ToHashSet(StringComparer.Ordinal);
        return new FeatureTaps(wanted.Contains);
    }

    /// <summary>Compares every stored output: W+ code, pyramid features, generator taps and the restored image.</summary>
    public static void CompareOutputs(FixtureContext ctx, DeghostResult result, FeatureTaps taps, DeghostingConfig config)
    {
        foreach (var name in ctx.File("outputs").Keys)
        {
            if (name == Output || name == $"{Output}_{config.OutSize}") { ctx.Compare(name, result.Output); continue; }
            if (name.StartsWith(GeneratorTapPrefix, StringComparison.Ordinal))
            {
                var tap = name[GeneratorTapPrefix.Length..];
                if (taps.Contains(tap)) ctx.Compare(name, taps[tap]);
                else ctx.Fail(name, $"the generator pass recorded no '{tap}' feature");
                continue;
            }
            CompareEncoderOutput(ctx, name, result.Encoding);
        }
    }

    /// <summary>Compares the W+ code and the pyramid features (<c>encoder_feat_{s}</c>, <c>encoder_{j}_{s}</c>).</summary>
    public static void CompareEncoderOutput(FixtureContext ctx, string name, FcnEncoding encoding)
    {
        if (name == Latent) { ctx.Compare(name, encoding.Latent); return; }
        if (FeatureByResolution().Match(name) is { Success: true } byRes)
        {
            int s = Number(byRes.Groups[1]);
            var feature = encoding.Pyramid.FirstOrDefault(p => p.shape[^1] == s);
            if (feature is null) ctx.Fail(name, $"the encoder pyramid has no {s}² feature");
            else ctx.Compare(name, feature);
            return;
        }
        if (FeatureByIndexAndResolution().Match(name) is { Success: true } byIndex)
        {
            int j = Number(byIndex.Groups[1]), s = Number(byIndex.Groups[2]);
            if (j >= encoding.Pyramid.Count || encoding.Pyramid[j].shape[^1] != s)
                ctx.Fail(name, $"encoder[{j}] does not output a {s}² feature");
            else ctx.Compare(name, encoding.Pyramid[j]);
        }
    }

    /// <summary>
    /// The reference's <c>tensor2np</c> of the first image (uint8 HWC, BGR), centre-cropped to the stored crop's size.
    /// </summary>
    public static void CompareBgrCrop(FixtureContext ctx, string name, Tensor image)
    {
        var (stem, tensorName) = FixtureContext.SplitName(name);
        var reference = ctx.File(stem)[tensorName];
        long cropH = reference.shape[0], cropW = reference.shape[1];
        var rgb = RgbImage.FromTensor(image);                                          // round(clamp((t+1)/2)·255)
        var hwc = tensor(rgb.Rgb, new long[] { rgb.Height, rgb.Width, 3 }, ScalarType.Byte);
        var bgr = hwc.flip(2);
        long top = (rgb.Height - cropH) / 2, left = (rgb.Width - cropW) / 2;
        ctx.Compare(name, bgr.narrow(0, top, cropH).narrow(1, left, cropW));
    }

    static int Number(Group g) => int.Parse(g.Value, CultureInfo.InvariantCulture);
}
