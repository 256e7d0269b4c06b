using System.Text.RegularExpressions;

namespace Pipeline.Editing.Parity.Rules;

/// <summary>
/// The formula rule of every mmgen StyleGAN2 discriminator key (parity README §1). Every layer has lr_mul 1, so
/// equalized-lr weights get A = 1 and the final linear biases A = 0.1.
/// </summary>
public static class StyleGan2DiscriminatorRules
{
    const double LrMul = 1;

    public static Func<string, long[], FormulaRule> Resolver(string prefix = "") => (name, _) =>
    {
        var n = name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..]
            : throw new ArgumentException($"'{name}' is not a discriminator key (expected the prefix '{prefix}')");
        if (n.EndsWith(".weight_orig", StringComparison.Ordinal)) return new("eq_weight", 0, StyleGan2GeneratorRules.UnitAmplitude / LrMul);
        if (Regex.IsMatch(n, @"^final_linear\.\d+\.bias$") || n.EndsWith(".conv.bias", StringComparison.Ordinal))
            return new("eq_bias", 0, StyleGan2GeneratorRules.BiasAmplitude / LrMul);
        if (n.EndsWith(".bias", StringComparison.Ordinal)) return new("act_bias", 0, StyleGan2GeneratorRules.BiasAmplitude);
        if (n.EndsWith(".kernel", StringComparison.Ordinal)) return FormulaRule.KeepAs("blur_kernel");
        throw new ArgumentException($"no formula rule for discriminator key '{name}'");
    };
}
