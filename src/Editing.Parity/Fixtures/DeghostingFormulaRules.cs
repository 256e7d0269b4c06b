using Pipeline.Editing.Networks.Deghosting;
using Pipeline.Editing.Parity.Rules;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// Formula rules (parity README §1) for <c>deghosting.pt</c> keys: the FCN holds only plain convs and linears;
/// <c>generator.*</c> keys are the frozen mmgen StyleGAN2's (equalized-lr rules with its mapping lr_mul).
/// </summary>
public static class DeghostingFormulaRules
{
    /// <summary>README §1: g = 1 for every plain layer outside VGG16.</summary>
    const double PlainWeightGain = 1.0;
    const double PlainBiasAmplitude = 0.1;

    public static Func<string, long[], FormulaRule> For(DeghostingConfig config)
    {
        var generator = StyleGan2GeneratorRules.Mmgen(DeghostNetwork.GeneratorConfig(config), DeghostingKeyLayout.GeneratorPrefix);
        return (name, shape) =>
        {
            if (name.StartsWith(DeghostingKeyLayout.FcnPrefix, StringComparison.Ordinal)) return Plain(name, shape);
            if (name.StartsWith(DeghostingKeyLayout.GeneratorPrefix, StringComparison.Ordinal)) return generator(name, shape);
            throw new ArgumentException($"Deghosting has no formula rule for key '{name}'");
        };
    }

    /// <summary>Plain nn.Conv2d / nn.Linear: weight A = g/sqrt(fan_in) with fan_in = numel/shape[0]; bias A = 0.1.</summary>
    public static FormulaRule Plain(string name, long[] shape)
    {
        if (name.EndsWith(".weight", StringComparison.Ordinal))
        {
            long fanIn = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
            return new FormulaRule("plain_weight", 0, PlainWeightGain / Math.Sqrt(fanIn));
        }
        if (name.EndsWith(".bias", StringComparison.Ordinal)) return new FormulaRule("plain_bias", 0, PlainBiasAmplitude);
        throw new ArgumentException($"Deghosting key '{name}' is neither a weight nor a bias of a plain layer");
    }
}
