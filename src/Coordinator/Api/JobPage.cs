using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Pipeline.Contracts.Api;

namespace Pipeline.Coordinator.Api;

/// <summary>The page of one job (<c>GET /jobs/{id}/page</c>): progress, and per item its input, mask and final image
/// side by side (from the PNG endpoint) or the reason it failed. Plain server-rendered HTML, every text HTML-encoded,
/// no external assets; it reloads itself while the job runs.</summary>
public static class JobPage
{
    public const string PathSuffix = "/page";
    public const int ItemsPerPage = 100;
    public static readonly string[] Columns = [PngRoles.Input, PngRoles.Mask, PngRoles.Final];
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static string Render(JobStatus job, IReadOnlyList<(ItemSummary Item, IReadOnlyCollection<string> Pngs)> items, int skip)
    {
        var html = new StringBuilder();
        var ended = job.Completed + job.Failed + job.Cancelled;
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        if (!job.IsFinished)
            html.Append("<meta http-equiv=\"refresh\" content=\"5\">");
        html.Append(CultureInfo.InvariantCulture, $"<title>Job {job.JobId} · {E(job.State)}</title>");
        html.Append("""
            <style>
            body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
            table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}
            img{width:128px;height:128px;image-rendering:auto;display:block;background:#eee}
            .Failed{color:#a00}.Completed{color:#070}.reason{max-width:28em;white-space:pre-wrap}
            progress{width:24em}
            </style></head><body>
            """);
        html.Append(CultureInfo.InvariantCulture, $"<h1>Job <code>{job.JobId}</code></h1>");
        html.Append(CultureInfo.InvariantCulture,
            $"<p id=\"state\">{E(job.State)}: {job.Completed} completed, {job.Failed} failed, {job.Cancelled} cancelled, {job.InFlight} in flight, {job.Pending} pending of {job.Total}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p><progress max=\"{job.Total}\" value=\"{ended}\"></progress> {ended}/{job.Total}");
        html.Append(job.IsFinished
            ? string.Create(CultureInfo.InvariantCulture, $" · ended {job.FinishedAt:u}</p>")
            : " · refreshing every 5 s</p>");
        html.Append("<table><thead><tr><th>#</th><th>state</th>");
        foreach (var column in Columns)
            html.Append(CultureInfo.InvariantCulture, $"<th>{E(column)}</th>");
        html.Append("<th>reason</th></tr></thead><tbody>");
        foreach (var (item, pngs) in items)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"item\" data-index=\"{item.Index}\"><td>{item.Index}</td><td class=\"{E(item.State)}\">{E(item.State)}</td>");
            foreach (var role in Columns)
                html.Append(pngs.Contains(role)
                    ? string.Create(CultureInfo.InvariantCulture, $"<td><img src=\"items/{item.Index}/png/{role}\" alt=\"item {item.Index} {role}\"></td>")
                    : "<td></td>");
            var reason = item.FailureReason is null ? "" : $"{item.FailedStage}: {item.FailureReason}";
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"reason\">{E(reason)}</td></tr>");
        }
        html.Append("</tbody></table>");
        if (skip > 0)
            html.Append(CultureInfo.InvariantCulture, $"<a href=\"page?skip={Math.Max(0, skip - ItemsPerPage)}\">previous items</a> ");
        if (skip + items.Count < job.Total)
            html.Append(CultureInfo.InvariantCulture, $"<a href=\"page?skip={skip + ItemsPerPage}\">next items</a>");
        html.Append("</body></html>");
        return html.ToString();
    }

    public static string SignIn(string? returnUrl, bool refused)
    {
        var target = PageSession.LocalPath(returnUrl) ?? "";
        return $$"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in · pipeline coordinator</title>
            <style>body{font-family:system-ui,sans-serif;margin:2em}</style></head><body>
            <h1>Sign in</h1>
            {{(refused ? "<p class=\"refused\">That key is not accepted.</p>" : "")}}
            <form method="post" action="/login">
            <label>API key <input type="password" name="apiKey" autocomplete="current-password" required></label>
            <input type="hidden" name="returnUrl" value="{{E(target)}}">
            <button type="submit">Sign in</button>
            </form></body></html>
            """;
    }

    private static string E(string text) => Html.Encode(text);
}
