using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Editing.Networks.Deghosting;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// What the two deghosting folders share: the configuration from <c>run_configs</c>, and the comparison of the
/// encoder's stored outputs, whose names carry the pyramid index and/or resolution they come from.
/// </summary>
static partial class DeghostingParity
{
    public const string Latent = "latent";

    [GeneratedRegex(@"^encoder_feat_(\d+)$")]
    private static partial Regex FeatureByResolution();

    [GeneratedRegex(@"^encoder_(\d+)_(\d+)$")]
    private static partial Regex FeatureByIndexAndResolution();

    public static DeghostingConfig Config(FixtureContext ctx)
    {
        var official = DeghostingConfig.Official;
        var config = official with
        {
            InSize = ctx.ConfigInt("in_size", official.InSize),
            OutSize = ctx.ConfigInt("out_size", official.OutSize),
            NumBlocks = ctx.ConfigInt("num_blocks", official.NumBlocks),
        };
        config.Validate();
        return config;
    }

    public static int Batch(FixtureContext ctx) => ctx.ConfigInt("batch", 1);

    /// <summary>Compares the W+ code and every stored pyramid feature (<c>encoder_feat_{s}</c>, <c>encoder_{j}_{s}</c>).</summary>
    public static void CompareEncoder(FixtureContext ctx, FcnEncoding encoding)
    {
        foreach (var name in ctx.File("outputs").Keys)
        {
            if (name == Latent) { ctx.Compare(name, encoding.Latent); continue; }
            if (FeatureByResolution().Match(name) is { Success: true } byRes)
            {
                int s = Number(byRes.Groups[1]);
                var feature = encoding.Pyramid.FirstOrDefault(p => p.shape[^1] == s);
                if (feature is null) ctx.Fail(name, $"the encoder pyramid has no {s}² feature");
                else ctx.Compare(name, feature);
                continue;
            }
            if (FeatureByIndexAndResolution().Match(name) is { Success: true } byIndex)
            {
                int j = Number(byIndex.Groups[1]), s = Number(byIndex.Groups[2]);
                if (j >= encoding.Pyramid.Count || encoding.Pyramid[j].shape[^1] != s)
                    ctx.Fail(name, $"encoder[{j}] does not output a {s}² feature");
                else ctx.Compare(name, encoding.Pyramid[j]);
            }
        }
    }

    static int Number(Group g) => int.Parse(g.Value, CultureInfo.InvariantCulture);
}
