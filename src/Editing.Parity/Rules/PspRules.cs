using Pipeline.Editing.Networks.Psp;

namespace Pipeline.Editing.Parity.Rules;

/// <summary>
/// The parity formula rule of every pSp encoder state key (parity README §1), from the key's layer kind:
/// BatchNorm (input_layer.1, res_layer.0/.4, shortcut_layer.1), PReLU (input_layer.2, res_layer.2),
/// the style heads' equalised linear layers, and plain convs for the rest.
/// </summary>
public static class PspRules
{
    /// <summary>The fan-in gain of plain conv/linear weights for pSp (only VGG16 uses another).</summary>
    public const double PlainWeightGain = 1.0;

    const double BnAmplitude = 0.1, BnScaleOffset = 1.0, BnVarOffset = 1.0;
    const double PReluOffset = 0.25, PReluAmplitude = 0.05;
    const double BiasAmplitude = 0.1;

    static readonly string[] BatchNormPaths = ["input_layer.1", "res_layer.0", "res_layer.4", "shortcut_layer.1"];
    static readonly string[] PReluPaths = ["input_layer.2", "res_layer.2"];

    /// <summary>The rule of every key of the whole pSp state: <c>encoder.*</c> here, <c>decoder.*</c> by the generator's rules.</summary>
    public static Func<string, long[], FormulaRule> For(PspConfig config)
    {
        var decoder = StyleGan2GeneratorRules.Rosinality(Psp.DecoderConfig(config), PspWeights.DecoderPrefix);
        return (name, shape) =>
            name.StartsWith(PspWeights.EncoderPrefix, StringComparison.Ordinal) ? Encoder(name[PspWeights.EncoderPrefix.Length..], shape)
            : name.StartsWith(PspWeights.DecoderPrefix, StringComparison.Ordinal) ? decoder(name, shape)
            : throw new ArgumentException($"pSp state key '{name}' is neither encoder.* nor decoder.*", nameof(name));
    }

    /// <summary>The rule of a key of <see cref="GradualStyleEncoder"/>'s state (no <c>encoder.</c> prefix).</summary>
    public static FormulaRule Encoder(string name, long[] shape)
    {
        int dot = name.LastIndexOf('.');
        if (dot < 0) throw new ArgumentException($"pSp encoder key '{name}' has no owning layer", nameof(name));
        string owner = name[..dot], leaf = name[(dot + 1)..];
        if (leaf == "num_batches_tracked") return FormulaRule.KeepAs("int");

        if (BatchNormPaths.Any(p => owner == p || owner.EndsWith("." + p, StringComparison.Ordinal)))
            return leaf switch
            {
                "weight" => new FormulaRule("bn_weight", BnScaleOffset, BnAmplitude),
                "bias" => new FormulaRule("bn_bias", 0, BnAmplitude),
                "running_mean" => new FormulaRule("bn_mean", 0, BnAmplitude),
                "running_var" => new FormulaRule("bn_var", BnVarOffset, BnAmplitude, Absolute: true),
                _ => throw Unknown(name),
            };
        if (leaf == "weight" && PReluPaths.Any(p => owner == p || owner.EndsWith("." + p, StringComparison.Ordinal)))
            return new FormulaRule("prelu", PReluOffset, PReluAmplitude);
        if (owner.StartsWith("styles.", StringComparison.Ordinal) && owner.EndsWith(".linear", StringComparison.Ordinal))
            return leaf switch
            {
                "weight" => new FormulaRule("eq_weight", 0, 1.0 / GradualStyleBlock.LinearLrMul),
                "bias" => new FormulaRule("eq_bias", 0, BiasAmplitude / GradualStyleBlock.LinearLrMul),
                _ => throw Unknown(name),
            };
        return leaf switch
        {
            "weight" => new FormulaRule("plain_weight", 0, PlainWeightGain / Math.Sqrt(FanIn(shape))),
            "bias" => new FormulaRule("plain_bias", 0, BiasAmplitude),
            _ => throw Unknown(name),
        };
    }

    static long FanIn(long[] shape) => shape.Aggregate(1L, (a, b) => a * b) / shape[0];

    static ArgumentException Unknown(string name) => new($"no pSp formula rule for key '{name}'", nameof(name));
}
