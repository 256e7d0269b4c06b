using System.Globalization;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// Supplementary variant S of the metrics tree (files <c>variant_s_*</c>): the shared rule with the flat index i
/// replaced by j = (m·i) mod p, which breaks the rank-2 structure of the shared rule's weights so that deep layers keep
/// depending on the input; conv/linear weights get amplitude 2/√fan_in. m and p are read from formula.json's
/// <c>variant_s</c> text.
/// </summary>
internal static partial class VariantSFormula
{
    /// <summary>"conv/linear weight amplitude doubled".</summary>
    public const double WeightGain = 2.0;

    public static void Fill(FixtureContext ctx, IReadOnlyList<(string Name, Tensor Tensor)> order, Func<string, long[], FormulaRule> ruleFor)
    {
        var text = ctx.FormulaJson["variant_s"]?.GetValue<string>() ?? throw new InvalidDataException("formula.json has no 'variant_s' rule");
        var m = IndexMap().Match(text);
        if (!m.Success) throw new InvalidDataException($"formula.json variant_s rule '{text}' names no '(m*i) mod p' index");
        long multiplier = long.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
        long modulus = long.Parse(m.Groups["p"].Value, CultureInfo.InvariantCulture);
        var f = ctx.Formula;
        using var _ = no_grad();
        for (int k = 0; k < order.Count; k++)
        {
            var (name, t) = order[k];
            var rule = ruleFor(name, t.shape);
            if (rule.Keep) continue;
            long n = t.numel();
            var v = new float[n];
            double bk = f.B * k;
            for (long i = 0; i < n; i++)
            {
                long j = multiplier * i % modulus;
                double s = Math.Sin((f.A * j + bk) + f.C);
                if (rule.Absolute) s = Math.Abs(s);
                v[i] = (float)(rule.Offset + rule.Amplitude * s);
            }
            using var values = tensor(v, t.shape);
            t.copy_(values);
        }
    }

    [GeneratedRegex(@"\((?<m>\d+)\s*\*\s*i\)\s*mod\s*(?<p>\d+)")]
    private static partial Regex IndexMap();
}
