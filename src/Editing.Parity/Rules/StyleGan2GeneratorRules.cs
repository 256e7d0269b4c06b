using System.Text.RegularExpressions;
using Pipeline.Editing.Networks.StyleGan2;

namespace Pipeline.Editing.Parity.Rules;

/// <summary>
/// The formula rule of every StyleGAN2 generator key (parity README §1): equalized-lr weights get A = 1/lr_mul and their
/// biases 0.1/lr_mul (the mapping network's lr_mul is <see cref="StyleGan2Config.LrMlp"/>, every other layer's 1),
/// modulation biases C = 1, and blur/upsample kernels keep their constructor value.
/// </summary>
public static class StyleGan2GeneratorRules
{
    public const double BiasAmplitude = 0.1;
    public const double ModulationBiasOffset = 1;
    public const double UnitAmplitude = 1;

    /// <summary>Rules for rosinality names (<c>style.1.weight</c>, <c>conv1.conv.modulation.bias</c>, <c>noises.noise_0</c>…), after <paramref name="prefix"/>.</summary>
    public static Func<string, long[], FormulaRule> Rosinality(StyleGan2Config config, string prefix = "") =>
        (name, _) => ForRosinality(Strip(name, prefix), config.LrMlp, name);

    /// <summary>Rules for mmgen names (<c>style_mapping.1.linear.weight_orig</c>, <c>injected_noise_0</c>…), after <paramref name="prefix"/>.</summary>
    public static Func<string, long[], FormulaRule> Mmgen(StyleGan2Config config, string prefix = "") =>
        (name, _) => ForRosinality(MmgenGeneratorLayout.ToRosinality(Strip(name, prefix)), config.LrMlp, name);

    static string Strip(string name, string prefix) =>
        name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..]
            : throw new ArgumentException($"'{name}' is not a generator key (expected the prefix '{prefix}')");

    static FormulaRule ForRosinality(string n, double lrMlp, string original)
    {
        if (Regex.IsMatch(n, @"^style\.\d+\.weight$")) return new("eq_weight", 0, UnitAmplitude / lrMlp);
        if (Regex.IsMatch(n, @"^style\.\d+\.bias$")) return new("eq_bias", 0, BiasAmplitude / lrMlp);
        if (n.EndsWith(".modulation.weight", StringComparison.Ordinal)) return new("eq_weight", 0, UnitAmplitude);
        if (n.EndsWith(".modulation.bias", StringComparison.Ordinal)) return new("modulation_bias", ModulationBiasOffset, BiasAmplitude);
        if (n.EndsWith(".conv.weight", StringComparison.Ordinal)) return new("eq_weight", 0, UnitAmplitude);
        if (n.EndsWith(".activate.bias", StringComparison.Ordinal)) return new("act_bias", 0, BiasAmplitude);
        if (n.EndsWith(".noise.weight", StringComparison.Ordinal)) return new("noise_weight", 0, BiasAmplitude);
        if (n == "input.input") return new("const_input", 0, UnitAmplitude);
        if (Regex.IsMatch(n, @"^to_rgb(1|s\.\d+)\.bias$")) return new("rgb_bias", 0, BiasAmplitude);
        if (n.EndsWith(".kernel", StringComparison.Ordinal)) return FormulaRule.KeepAs("blur_kernel");
        if (Regex.IsMatch(n, @"^noises\.noise_\d+$")) return new("noise_buffer", 0, UnitAmplitude);
        throw new ArgumentException($"no formula rule for StyleGAN2 generator key '{original}'");
    }
}
