using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Editing.Evaluation;

/// <summary>
/// <c>metrics.json</c> (everything, full precision, skipped metrics with their reasons) and <c>metrics.csv</c> (long
/// format: one row per scope and metric, with a status and a reason column, so a skipped metric is a row that says so).
/// </summary>
public static class MetricsFiles
{
    public const string JsonFile = "metrics.json";
    public const string CsvFile = "metrics.csv";

    public static readonly string[] Metrics = ["fid", "lpips", "lpips_masked", "psnr", "ssim"];

    public static string LpipsMaskedDefinition(EvaluationResult r) =>
        $"mean over the pixels where the Diff-CAM mask < {r.MaskThreshold.ToString(CultureInfo.InvariantCulture)} of the LPIPS spatial map (spatial=True, bilinear upsampling to the image size), averaged over images";

    public static void Write(string outDir, EvaluationResult r)
    {
        Directory.CreateDirectory(outDir);
        WriteAtomically(Path.Combine(outDir, JsonFile), ToJson(r).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        WriteAtomically(Path.Combine(outDir, CsvFile), ToCsv(r));
    }

    public static double? Value(AttributeMetrics a, string metric) => metric switch
    {
        "fid" => a.Fid,
        "lpips" => a.Lpips,
        "lpips_masked" => a.LpipsMasked,
        "psnr" => a.Psnr,
        "ssim" => a.Ssim,
        _ => throw new ArgumentException($"unknown metric '{metric}'"),
    };

    public static double? Mean(EvaluationResult r, string metric) => metric switch
    {
        "fid" => r.MeanFid,
        "lpips" => r.MeanLpips,
        "lpips_masked" => r.MeanLpipsMasked,
        "psnr" => r.MeanPsnr,
        "ssim" => r.MeanSsim,
        _ => throw new ArgumentException($"unknown metric '{metric}'"),
    };

    public static MetricAvailability Availability(EvaluationResult r, string metric) =>
        r.Availability.FirstOrDefault(a => a.Metric == metric) ?? MetricAvailability.Ok(metric);

    public static JsonObject ToJson(EvaluationResult r)
    {
        var metrics = new JsonObject();
        foreach (var m in Metrics)
        {
            var avail = Availability(r, m);
            var perAttribute = new JsonObject();
            foreach (var a in r.Attributes) perAttribute[a.Attribute] = avail.Computed ? Value(a, m) : null;
            var node = new JsonObject
            {
                ["status"] = avail.Computed ? "computed" : "skipped",
                ["reason"] = avail.SkipReason,
                ["mean"] = avail.Computed ? Mean(r, m) : null,
                ["per_attribute"] = perAttribute,
            };
            metrics[m] = node;
        }
        ((JsonObject)metrics["fid"]!)["implementation"] = $"pytorch-fid (InceptionV3 pool3, resize {r.FidResize}), edited set vs the original set, per attribute";
        ((JsonObject)metrics["fid"]!)["eps_offset_used"] = new JsonArray(r.Attributes.Where(a => a.FidUsedEps).Select(a => (JsonNode)a.Attribute).ToArray());
        ((JsonObject)metrics["lpips"]!)["implementation"] = $"LPIPS v0.1 ({r.LpipsNet}), input vs output, whole image";
        ((JsonObject)metrics["lpips_masked"]!)["definition"] = LpipsMaskedDefinition(r);
        ((JsonObject)metrics["lpips_masked"]!)["images_fully_masked"] = new JsonObject(r.Attributes.Select(a => KeyValuePair.Create(a.Attribute, (JsonNode?)a.LpipsMaskedEmpty)));
        ((JsonObject)metrics["psnr"]!)["definition"] = "10·log10(1/MSE) on [0,1] images, capped at 100 dB, averaged over images";
        ((JsonObject)metrics["ssim"]!)["definition"] = "Gaussian-window SSIM (11×11, σ=1.5, K1=0.01, K2=0.03, data range 1), per channel, valid region, averaged";

        var table = new JsonArray();
        foreach (var row in PaperTable1.Rows)
            table.Add(new JsonObject { ["method"] = row.Method, ["fid"] = row.Fid, ["lpips"] = row.Lpips, ["source"] = "paper (Song et al., ECCV 2022, Table 1)" });
        table.Add(new JsonObject
        {
            ["method"] = "this run", ["fid"] = Availability(r, "fid").Computed ? r.MeanFid : null,
            ["lpips"] = Availability(r, "lpips_masked").Computed ? r.MeanLpipsMasked : null,
            ["source"] = "mean over attributes; LPIPS outside the Diff-CAM mask",
        });

        return new JsonObject
        {
            ["run"] = new JsonObject
            {
                ["input"] = r.InputDir,
                ["images"] = r.ImageCount,
                ["image_size"] = r.ImageSize,
                ["attributes"] = new JsonArray(r.Attributes.Select(a => (JsonNode)a.Attribute).ToArray()),
                ["editor"] = r.Editor,
                ["seconds"] = Math.Round(r.Seconds, 1),
            },
            ["metrics"] = metrics,
            ["skipped"] = new JsonArray(r.Skipped.Select(s => (JsonNode)new JsonObject { ["metric"] = s.Metric, ["reason"] = s.SkipReason }).ToArray()),
            ["table1"] = table,
            ["samples"] = new JsonArray(r.Samples.Select(s => (JsonNode)new JsonObject
            {
                ["attribute"] = s.Attribute, ["item"] = s.Item, ["input"] = s.Input, ["mask"] = s.Mask, ["output"] = s.Output,
            }).ToArray()),
        };
    }

    public static string ToCsv(EvaluationResult r)
    {
        var sb = new StringBuilder("scope,metric,value,status,reason\n");
        foreach (var m in Metrics)
        {
            var avail = Availability(r, m);
            foreach (var a in r.Attributes) sb.Append(Row(a.Attribute, m, avail, Value(a, m)));
            sb.Append(Row("mean", m, avail, Mean(r, m)));
        }
        return sb.ToString();
    }

    static string Row(string scope, string metric, MetricAvailability avail, double? value) =>
        string.Join(',', Quote(scope), metric,
            avail.Computed && value is double v ? v.ToString("R", CultureInfo.InvariantCulture) : "",
            avail.Computed ? "computed" : "skipped",
            Quote(avail.SkipReason ?? "")) + "\n";

    static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    static void WriteAtomically(string path, string text)
    {
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
