using System.Globalization;
using Microsoft.Playwright;
using Pipeline.Editing.Evaluation;
using Pipeline.Testing;

namespace Pipeline.Editing.Tests.Evaluation;

/// <summary>
/// Opens report.html in headless Chromium (Debian's <c>chromium</c>, driven by Playwright's bundled driver; no browser
/// is downloaded) and checks what a reader sees: the Table 1 rows, every number equal to metrics.json at the shown
/// precision, and every sample image decoded.
/// </summary>
[Collection(EvaluatedDatasetCollection.Name)]
public class When_viewing_the_report_in_a_browser(EvaluatedDataset run)
{
    const string SystemChromium = ChromiumFactAttribute.Executable;
    static readonly string[] ChromiumArgs = ChromiumFactAttribute.Args;

    [ChromiumFact]
    public async Task Should_show_the_table_the_images_and_the_numbers_of_metrics_json()
    {
        Assert.True(File.Exists(SystemChromium), $"{SystemChromium} is missing: apt-get install -y chromium (.ci/run does)");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = SystemChromium, Headless = true, Args = ChromiumArgs,
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(Path.Combine(run.OutDir, ReportPage.FileName)).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        var table = await page.Locator("#table1 tbody tr").AllInnerTextsAsync();
        Assert.Equal(PaperTable1.Rows.Count + 1, table.Count);
        foreach (var row in PaperTable1.Rows)
            Assert.Contains(table, t => t.StartsWith(row.Method, StringComparison.Ordinal)
                && t.Contains(MetricFormats.Format("fid", row.Fid), StringComparison.Ordinal) && t.Contains(MetricFormats.Format("lpips", row.Lpips), StringComparison.Ordinal));
        Assert.StartsWith("This run", table[^1]);

        var cells = await page.EvalOnSelectorAllAsync<string[][]>("td[data-metric]",
            "cells => cells.map(c => [c.dataset.metric, c.dataset.scope, c.textContent.trim()])");
        Assert.Equal(2 + MetricsFiles.Metrics.Length * (EvaluatedDataset.Attributes.Length + 1), cells.Length);
        foreach (var cell in cells)
        {
            var (metric, scope, text) = (cell[0], cell[1], cell[2]);
            var node = run.Metrics["metrics"]![metric]!;
            double expected = (scope == "mean" ? node["mean"] : node["per_attribute"]![scope])!.GetValue<double>();
            double shown = double.Parse(text, CultureInfo.InvariantCulture);
            double halfUlp = 0.5 * Math.Pow(10, -MetricFormats.Decimals[metric]);
            Assert.True(Math.Abs(shown - expected) <= halfUlp * (1 + 1e-9), $"{metric}/{scope}: page shows {text}, metrics.json has {expected}");
        }

        var images = await page.EvaluateAsync<int[][]>("() => Array.from(document.images).map(i => [i.complete ? 1 : 0, i.naturalWidth, i.naturalHeight])");
        Assert.Equal(run.Metrics["samples"]!.AsArray().Count * 3, images.Length);
        Assert.All(images, i => Assert.True(i[0] == 1 && i[1] > 0 && i[2] > 0, "a sample image did not load"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(run.OutDir, "report.png"), FullPage = true });
    }
}
