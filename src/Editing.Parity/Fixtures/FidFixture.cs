using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipeline.Editing.Metrics.Fid;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// <c>fid</c> (metrics tree): pytorch-fid's statistics and Fréchet distance on formula features (values.json names each
/// case's features). The features are regenerated and checked against the stored ones, streamed through
/// <see cref="FeatureStatistics"/> a few rows at a time, and the resulting mu and sigma, the distance (with pytorch-fid's
/// eps retry where it takes it) and the exact/eps/no-eps variants stored beside it are all compared.
/// </summary>
public sealed partial class FidFixture : IParityFixture
{
    /// <summary>Rows per streamed batch: small, so that the accumulation is exercised across many batches.</summary>
    const int StreamRows = 16;

    public string Folder => "fid";

    public void Run(FixtureContext ctx)
    {
        var values = JsonNode.Parse(File.ReadAllText(Path.Combine(ctx.Dir, "values.json")))!;
        var formula = values["feature_formula"]?.GetValue<string>() ?? "";
        double muSigmaRel = ctx.ToleranceSection["mu_sigma_rel"]?.GetValue<double>() ?? throw new InvalidDataException("tolerances.json fid has no mu_sigma_rel");
        foreach (var (name, node) in values["cases"]!.AsObject())
        {
            using var scope = NewDisposeScope();
            var c = node!.AsObject();
            double fidRel = ctx.ToleranceSection[name]?["fid_rel"]?.GetValue<double>() ?? throw new InvalidDataException($"tolerances.json fid has no {name}.fid_rel");
            var stored = ctx.File(name);

            var stats = new List<(Tensor Mu, Tensor Sigma)>();
            foreach (var set in new[] { "1", "2" })
            {
                var feats = Features(c["feats" + set]!.GetValue<string>(), formula);
                ctx.CompareRel($"{name}/feats{set}", feats, stored["feats" + set], muSigmaRel);
                using var acc = new FeatureStatistics(feats.shape[1]);
                for (long row = 0; row < feats.shape[0]; row += StreamRows)
                    acc.Add(feats.narrow(0, row, Math.Min(StreamRows, feats.shape[0] - row)));
                var (mu, sigma) = acc.MeanAndCovariance();
                ctx.CompareRel($"{name}/mu{set}", mu, stored["mu" + set], muSigmaRel);
                CompareSigma(ctx, name, set, sigma, muSigmaRel);
                stats.Add((mu, sigma));
            }

            var (mu1, s1) = stats[0];
            var (mu2, s2) = stats[1];
            var asPytorchFid = FrechetDistance.Compute(mu1, s1, mu2, s2);
            // Without the retry the two policies are one computation; a 2048-d one is worth not repeating.
            var withoutEps = asPytorchFid.UsedEpsOffset ? FrechetDistance.Compute(mu1, s1, mu2, s2, FrechetEpsOffset.Never) : asPytorchFid;
            ctx.CompareRel($"{name}/fid", Scalar(asPytorchFid.Value), stored["fid"], fidRel);
            ctx.CompareRel($"{name}/values.json fid_pytorch_fid", Scalar(asPytorchFid.Value), Scalar(c["fid_pytorch_fid"]!.GetValue<double>()), fidRel);
            if (c["used_eps"] is JsonNode usedEps)
                ctx.Check($"{name}/eps retry taken as pytorch-fid did ({usedEps.GetValue<bool>()})", asPytorchFid.UsedEpsOffset == usedEps.GetValue<bool>(),
                    $"port {(asPytorchFid.UsedEpsOffset ? "added" : "did not add")} eps");
            if (stored.ContainsKey("fid_exact_svd"))
                ctx.CompareRel($"{name}/fid_exact_svd", Scalar(withoutEps.Value), stored["fid_exact_svd"], fidRel);
            if (stored.ContainsKey("fid_eps_eigh"))
                ctx.CompareRel($"{name}/fid_eps_eigh", Scalar(FrechetDistance.Compute(mu1, s1, mu2, s2, FrechetEpsOffset.Always).Value), stored["fid_eps_eigh"], fidRel);
            if (stored.ContainsKey("fid_exact_svd_no_eps"))
                ctx.CompareRel($"{name}/fid_exact_svd_no_eps", Scalar(withoutEps.Value), stored["fid_exact_svd_no_eps"], fidRel);
        }
    }

    static void CompareSigma(FixtureContext ctx, string name, string set, Tensor sigma, double rel)
    {
        var stored = ctx.File(name);
        if (stored.ContainsKey("sigma" + set)) ctx.CompareRel($"{name}/sigma{set}", sigma, stored["sigma" + set], rel);
        if (stored.ContainsKey($"sigma{set}_diag")) ctx.CompareRel($"{name}/sigma{set}_diag", sigma.diagonal(), stored[$"sigma{set}_diag"], rel);
        foreach (var key in stored.Keys.Where(k => k.StartsWith($"sigma{set}_rows", StringComparison.Ordinal)))
        {
            var m = RowRange().Match(key);
            if (!m.Success) throw new InvalidDataException($"fid/{name}: cannot read the row range of '{key}'");
            long from = long.Parse(m.Groups["from"].Value, CultureInfo.InvariantCulture), to = long.Parse(m.Groups["to"].Value, CultureInfo.InvariantCulture);
            ctx.CompareRel($"{name}/{key}", sigma.narrow(0, from, to - from + 1), stored[key], rel);
        }
    }

    static Tensor Scalar(double v) => tensor(new[] { v });

    /// <summary>
    /// feat(n,d; s) = max(0, sin(0.013·(n+1)·(d+1) + 0.7·d + s) + 0.5·sin(0.0029·(n+2)·(d+5)·((d mod 7)+1) + 1.3·s)) for
    /// a case text like <c>feat(n,d; s=2), N=24, D=32, then column 5 := 0</c>; the constants are checked against
    /// values.json's formula text.
    /// </summary>
    static Tensor Features(string spec, string formula)
    {
        const string Expected = "max(0, sin(0.013*(n+1)*(d+1) + 0.7*d + s) + 0.5*sin(0.0029*(n+2)*(d+5)*((d mod 7)+1) + 1.3*s))";
        if (!formula.Contains(Expected, StringComparison.Ordinal))
            throw new InvalidDataException($"fid/values.json feature formula is not the one this fixture implements: {formula}");
        var m = CaseSpec().Match(spec);
        if (!m.Success) throw new InvalidDataException($"fid/values.json: cannot read the feature spec '{spec}'");
        double s = double.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture);
        int n = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture), dims = int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
        var f = new double[n * dims];
        for (int i = 0; i < n; i++)
            for (int d = 0; d < dims; d++)
                f[i * dims + d] = Math.Max(0, Math.Sin(0.013 * (i + 1) * (d + 1) + 0.7 * d + s) + 0.5 * Math.Sin(0.0029 * (i + 2) * (d + 5) * ((d % 7) + 1) + 1.3 * s));
        foreach (Capture col in m.Groups["col"].Captures)
        {
            int zeroed = int.Parse(col.Value, CultureInfo.InvariantCulture);
            for (int i = 0; i < n; i++) f[i * dims + zeroed] = 0;
        }
        return tensor(f, [n, dims]);
    }

    [GeneratedRegex(@"s=(?<s>[-0-9.]+)\),\s*N=(?<n>\d+),\s*D=(?<d>\d+)(?:,\s*then(?:\s*column\s*(?<col>\d+)\s*:=\s*0\s*,?)+)?")]
    private static partial Regex CaseSpec();

    [GeneratedRegex(@"rows(?<from>\d+)to(?<to>\d+)$")]
    private static partial Regex RowRange();
}
