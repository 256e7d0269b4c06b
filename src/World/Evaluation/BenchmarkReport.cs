using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.World.Evaluation;

/// <summary>The scores of one attribute (or their mean over attributes), keyed as the benchmark's JSON. Edit success
/// is judged by the world classifier on the final image, and also on the edited inversion T and the coarse blend, so a
/// failed edit shows where it was lost: in the prior and directions (T), the mask (coarse) or Deghosting (final); and on
/// the world's true edited scene, the ceiling of the others: where an occluder hides the edit, the classifier cannot see
/// it in the true photo either. <see cref="BySign"/> splits the four successes by the way the attribute was edited.</summary>
public sealed record AttributeScores(
    double EditSuccess, double MaskIouDiffcam, double MaskIouGradcam, double PsnrNoneditFinal, double PsnrNoneditEditedInversion,
    double PsnrEditFinalVsTrue, double PsnrEditCoarseVsTrue, double MaskAucDiffcam, double MaskAucGradcam, double PsnrNoneditCoarse,
    double EditSuccessEditedInversion, double EditSuccessCoarse, double EditSuccessTrue)
{
    public static readonly string[] Keys =
    {
        "edit_success", "mask_iou_diffcam", "mask_iou_gradcam", "psnr_nonedit_final", "psnr_nonedit_edited_inversion",
        "psnr_edit_final_vs_true", "psnr_edit_coarse_vs_true", "mask_auc_diffcam", "mask_auc_gradcam", "psnr_nonedit_coarse",
        "edit_success_edited_inversion", "edit_success_coarse", "edit_success_true",
    };

    /// <summary>The successes of the scenes edited each way (<see cref="SuccessBySign.Signs"/>).</summary>
    public IReadOnlyDictionary<string, SuccessBySign> BySign { get; init; } = new Dictionary<string, SuccessBySign>();

    public double[] Values => new[] { EditSuccess, MaskIouDiffcam, MaskIouGradcam, PsnrNoneditFinal, PsnrNoneditEditedInversion, PsnrEditFinalVsTrue, PsnrEditCoarseVsTrue, MaskAucDiffcam, MaskAucGradcam, PsnrNoneditCoarse, EditSuccessEditedInversion, EditSuccessCoarse, EditSuccessTrue };

    /// <summary>The scores in <see cref="Keys"/> order.</summary>
    public static AttributeScores FromValues(IReadOnlyList<double> v) => new(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]);

    public static AttributeScores Mean(IReadOnlyCollection<AttributeScores> all) =>
        FromValues(Enumerable.Range(0, Keys.Length).Select(k => BenchmarkMetrics.Mean(all.Select(s => s.Values[k]))).ToArray()) with
        {
            BySign = SuccessBySign.Signs.Where(sign => all.Any(s => s.BySign.ContainsKey(sign)))
                .ToDictionary(sign => sign, sign => SuccessBySign.Mean(all.Where(s => s.BySign.ContainsKey(sign)).Select(s => s.BySign[sign]).ToList())),
        };
}

/// <summary><c>{"count","seed","attributes":{NAME:{…,"by_sign":{"add":{…},"remove":{…}}}},"overall":{…},"inversion_psnr_in_domain"}</c>
/// and its tables.</summary>
public sealed record BenchmarkReport(int Count, int Seed, IReadOnlyDictionary<string, AttributeScores> Attributes, AttributeScores Overall, double InversionPsnrInDomain)
{
    public string ToJson()
    {
        static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 4)) : null;
        JsonObject Scores(AttributeScores s)
        {
            var o = new JsonObject();
            var values = s.Values;
            for (int i = 0; i < AttributeScores.Keys.Length; i++) o[AttributeScores.Keys[i]] = Num(values[i]);
            var bySign = new JsonObject();
            foreach (var (sign, scores) in s.BySign)
            {
                var signed = new JsonObject { ["count"] = scores.Count };
                for (int i = 0; i < SuccessBySign.SuccessKeys.Length; i++) signed[SuccessBySign.SuccessKeys[i]] = Num(scores.Values[i]);
                bySign[sign] = signed;
            }
            o["by_sign"] = bySign;
            return o;
        }
        var attrs = new JsonObject();
        foreach (var (name, s) in Attributes) attrs[name] = Scores(s);
        var root = new JsonObject
        {
            ["count"] = Count, ["seed"] = Seed, ["attributes"] = attrs, ["overall"] = Scores(Overall),
            ["inversion_psnr_in_domain"] = Num(InversionPsnrInDomain),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    public string ToTable()
    {
        var ci = CultureInfo.InvariantCulture;
        string[] heads = { "attribute", "success", "IoU DiffCAM", "IoU GradCAM", "PSNR non-edit final", "PSNR non-edit T", "PSNR edit final", "PSNR edit coarse", "AUC DiffCAM", "AUC GradCAM", "PSNR non-edit coarse", "success T", "success coarse", "success truth" };
        var rows = Attributes.Select(kv => (kv.Key, kv.Value)).Append(("overall", Overall))
            .Select(r => new[] { r.Item1 }.Concat(r.Item2.Values.Select((v, i) => double.IsFinite(v) ? v.ToString(i is < 3 or 7 or 8 or >= 10 ? "0.000" : "0.00", ci) : "n/a")).ToArray()).ToList();
        var widths = heads.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(string[] cells) => sb.Append("| ").Append(string.Join(" | ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])))).Append(" |\n");
        Line(heads);
        sb.Append("|").Append(string.Join("|", widths.Select((w, i) => i == 0 ? new string('-', w + 2) : new string('-', w + 1) + ":"))).Append("|\n");
        foreach (var r in rows) Line(r);
        sb.Append('\n').Append(SignTable(Attributes.Select(kv => (kv.Key, kv.Value)).Append(("overall", Overall))));
        sb.Append($"\nin-domain inversion PSNR: {(double.IsFinite(InversionPsnrInDomain) ? InversionPsnrInDomain.ToString("0.00", ci) : "n/a")} dB  (N = {Count}, seed {Seed})\n");
        return sb.ToString();
    }

    static string SignTable(IEnumerable<(string Name, AttributeScores Scores)> rows)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("| attribute | edited | scenes | success | success T | success coarse | success truth |\n|---|---|--:|--:|--:|--:|--:|\n");
        foreach (var (name, scores) in rows)
            foreach (var (sign, s) in scores.BySign)
                sb.Append($"| {name} | {sign} | {s.Count} | ").Append(string.Join(" | ", s.Values.Select(v => double.IsFinite(v) ? v.ToString("0.000", ci) : "n/a"))).Append(" |\n");
        return sb.ToString();
    }
}
