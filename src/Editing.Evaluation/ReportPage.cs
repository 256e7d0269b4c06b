using System.Globalization;
using System.Net;
using System.Text;

namespace Pipeline.Editing.Evaluation;

/// <summary>
/// <c>report.html</c>: the paper's Table 1 with its printed rows beside this run's row, the per-attribute metrics, the
/// skipped metrics and why, and a grid of sample inputs, masks and outputs (PNG files next to the page). Every number
/// cell carries <c>data-metric</c>/<c>data-scope</c> so it can be checked against metrics.json. A static page: no scripts.
/// </summary>
public static class ReportPage
{
    public const string FileName = "report.html";

    public static void Write(string outDir, EvaluationResult r)
    {
        var path = Path.Combine(outDir, FileName);
        File.WriteAllText(path + ".tmp", Render(r));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static string Render(EvaluationResult r)
    {
        var h = new StringBuilder();
        h.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Evaluation report</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;color:#222}
            table{border-collapse:collapse;margin:1em 0}
            th,td{border:1px solid #bbb;padding:.3em .7em;text-align:right}
            th:first-child,td:first-child{text-align:left}
            tr.run{font-weight:bold;background:#eef6ff}
            td.skipped{color:#a00;font-style:italic}
            .grid{display:grid;grid-template-columns:repeat(4,auto);gap:.4em;align-items:center;justify-content:start}
            .grid img{width:128px;height:128px;image-rendering:pixelated;border:1px solid #ccc}
            .note{color:#555;max-width:60em}
            </style></head><body>
            <h1>Evaluation report</h1>
            """);
        h.Append($"<p class=\"note\">{E(r.ImageCount.ToString(CultureInfo.InvariantCulture))} image(s) of {E(r.InputDir)} at {r.ImageSize}², "
            + $"attributes {E(string.Join(", ", r.Attributes.Select(a => a.Attribute)))}; edits by {E(r.Editor)}; {r.Seconds:0.0} s.</p>\n");

        h.Append("<h2>Table 1</h2>\n<p class=\"note\">The paper's rows are printed values on CelebA-HQ; this run's row is the mean over its attributes "
            + "(FID of the edited set against the original set; LPIPS outside the Diff-CAM mask). They are comparable only on the same data, weights and protocol.</p>\n");
        h.Append("<table id=\"table1\"><thead><tr><th>Method</th><th>FID ↓</th><th>LPIPS ↓</th></tr></thead><tbody>\n");
        foreach (var row in PaperTable1.Rows)
            h.Append($"<tr class=\"paper\"><td>{E(row.Method)}</td><td>{MetricFormats.Format("fid", row.Fid)}</td><td>{MetricFormats.Format("lpips", row.Lpips)}</td></tr>\n");
        h.Append($"<tr class=\"run\"><td>This run</td>{Cell(r, "fid", "mean", r.MeanFid)}{Cell(r, "lpips_masked", "mean", r.MeanLpipsMasked)}</tr>\n");
        h.Append("</tbody></table>\n");

        h.Append("<h2>Per attribute</h2>\n<table id=\"attributes\"><thead><tr><th>Attribute</th><th>Images</th><th>FID ↓</th><th>LPIPS ↓</th>"
            + "<th>LPIPS outside mask ↓</th><th>PSNR ↑</th><th>SSIM ↑</th></tr></thead><tbody>\n");
        foreach (var a in r.Attributes)
        {
            h.Append($"<tr><td>{E(a.Attribute)}</td><td>{a.Images}</td>");
            foreach (var m in MetricsFiles.Metrics) h.Append(Cell(r, m, a.Attribute, MetricsFiles.Value(a, m)));
            h.Append("</tr>\n");
        }
        h.Append("<tr class=\"run\"><td>mean</td><td></td>");
        foreach (var m in MetricsFiles.Metrics) h.Append(Cell(r, m, "mean", MetricsFiles.Mean(r, m)));
        h.Append("</tr>\n</tbody></table>\n");
        h.Append($"<p class=\"note\">LPIPS outside mask: {E(MetricsFiles.LpipsMaskedDefinition(r))}. LPIPS network: {E(r.LpipsNet)}; FID resize: {E(r.FidResize)}.</p>\n");

        var skipped = r.Skipped.ToList();
        h.Append("<h2>Skipped metrics</h2>\n");
        if (skipped.Count == 0) h.Append("<p id=\"skipped\">None: every metric was computed.</p>\n");
        else
        {
            h.Append("<ul id=\"skipped\">\n");
            foreach (var s in skipped) h.Append($"<li data-metric=\"{E(s.Metric)}\"><b>{E(s.Metric)}</b>: {E(s.SkipReason ?? "")}</li>\n");
            h.Append("</ul>\n");
        }

        h.Append("<h2>Samples</h2>\n");
        foreach (var group in r.Samples.GroupBy(s => s.Attribute))
        {
            h.Append($"<h3>{E(group.Key)}</h3>\n<div class=\"grid samples\"><b>item</b><b>input</b><b>mask</b><b>output</b>\n");
            foreach (var s in group)
                h.Append($"<span>{E(s.Item)}</span><img src=\"{E(s.Input)}\" alt=\"input {E(s.Item)}\"><img src=\"{E(s.Mask)}\" alt=\"mask {E(s.Item)}\"><img src=\"{E(s.Output)}\" alt=\"output {E(s.Item)}\">\n");
            h.Append("</div>\n");
        }
        h.Append("</body></html>\n");
        return h.ToString();
    }

    static string Cell(EvaluationResult r, string metric, string scope, double? value)
    {
        var avail = MetricsFiles.Availability(r, metric);
        var attrs = $"data-metric=\"{E(metric)}\" data-scope=\"{E(scope)}\"";
        if (!avail.Computed) return $"<td class=\"skipped\" {attrs} title=\"{E(avail.SkipReason ?? "")}\">skipped</td>";
        if (value is not double v) return $"<td class=\"skipped\" {attrs}>n/a</td>";
        return $"<td class=\"value\" {attrs}>{MetricFormats.Format(metric, v)}</td>";
    }

    static string E(string s) => WebUtility.HtmlEncode(s);
}
