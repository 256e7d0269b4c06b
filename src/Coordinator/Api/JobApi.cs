using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator.Jobs;
using Pipeline.Storage;

namespace Pipeline.Coordinator.Api;

/// <summary>The coordinator's HTTP API (minimal APIs, API-key protected): upload, submit, list, status, items, outputs,
/// PNG renders, stage timings, download, cancel, delete, and the job page with its sign-in form.</summary>
public static class JobApi
{
    public static IEndpointRouteBuilder MapJobApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").RequireAuthorization().WithTags("jobs");
        api.MapPost("/uploads", UploadAsync).WithSummary("Store an image (raw body); returns its blob reference").DisableAntiforgery();
        api.MapPost("/jobs", SubmitAsync).WithSummary("Submit a job of blob references and an edit chain");
        api.MapGet("/jobs", ListAsync).WithSummary($"Jobs, newest first, with state and counts (take ≤ {JobQueries.MaxJobPageSize})");
        api.MapGet("/jobs/{jobId:guid}", StatusAsync).WithSummary("Job state and item counts");
        api.MapDelete("/jobs/{jobId:guid}", DeleteAsync).WithSummary("Delete an ended job: its outputs, the uploads only it used, its rows");
        api.MapGet("/jobs/{jobId:guid}/items/{index:int}/png/{role}", PngAsync).WithSummary("An 8-bit PNG render of an item's output by role");
        api.MapGet("/jobs/{jobId:guid}" + JobPage.PathSuffix, PageAsync).WithSummary("HTML page of the job (a signed-in browser)").ExcludeFromDescription();
        app.MapGet("/login", (string? returnUrl) => TypedResults.Content(JobPage.SignIn(returnUrl, refused: false), "text/html; charset=utf-8"))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/login", SignInAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        api.MapGet("/jobs/{jobId:guid}/items", ItemsAsync).WithSummary("Items of a job, by index");
        api.MapGet("/jobs/{jobId:guid}/items/{index:int}/outputs", OutputsAsync).WithSummary("Blob references of an item's outputs");
        api.MapGet("/jobs/{jobId:guid}/timings", TimingsAsync).WithSummary("Per stage, where the job's items spent their time (mean and median ms)");
        api.MapPost("/jobs/{jobId:guid}/cancel", CancelAsync).WithSummary("Stop starting items; running ones finish");
        api.MapGet("/blobs/{**name}", DownloadAsync).WithSummary("Download an upload or an output");
        return app;
    }

    private static async Task<Results<Created<BlobRef>, BadRequest<string>>> UploadAsync(HttpRequest request, IBlobStore blobs,
        IOptions<ApiOptions> options, CancellationToken cancellationToken)
    {
        var contentType = request.ContentType?.Split(';')[0].Trim() ?? "application/octet-stream";
        var extension = contentType switch
        {
            "image/png" => "png",
            "image/jpeg" => "jpg",
            _ => "bin",
        };
        using var buffer = new MemoryStream();
        var limit = options.Value.MaxUploadBytes;
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length == 0)
            return TypedResults.BadRequest("the upload is empty");
        if (buffer.Length > limit)
            return TypedResults.BadRequest($"the upload is {buffer.Length} bytes; the limit is {limit}");
        var bytes = buffer.ToArray();
        var name = BlobNames.Upload(Sha256Hex.Of(bytes), extension);
        var stored = await blobs.PutAsync(name, bytes, contentType, cancellationToken);
        return TypedResults.Created($"/blobs/{name}", stored.Blob);
    }

    private static async Task<Results<Accepted<JobAcceptedResponse>, ValidationProblem>> SubmitAsync(SubmitJobRequest request,
        JobSubmission submission, CancellationToken cancellationToken)
    {
        try
        {
            var accepted = await submission.SubmitAsync(request, cancellationToken);
            var statusUrl = $"/jobs/{accepted.JobId}";
            return TypedResults.Accepted(statusUrl, new JobAcceptedResponse(accepted.JobId, accepted.Total, statusUrl));
        }
        catch (JobValidationException e)
        {
            return TypedResults.ValidationProblem(e.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()));
        }
    }

    private static async Task<Ok<IReadOnlyList<JobStatus>>> ListAsync(JobQueries queries, CancellationToken cancellationToken, int skip = 0,
        int take = 50) =>
        TypedResults.Ok(await queries.ListJobsAsync(skip, take, cancellationToken));

    private static async Task<Results<NoContent, NotFound, Conflict<string>>> DeleteAsync(Guid jobId, JobDeletion deletion,
        CancellationToken cancellationToken) =>
        (await deletion.DeleteAsync(jobId, cancellationToken)).Outcome switch
        {
            JobDeletion.Outcome.Deleted => TypedResults.NoContent(),
            JobDeletion.Outcome.NotFound => TypedResults.NotFound(),
            _ => TypedResults.Conflict($"job {jobId} is still running: cancel it (POST /jobs/{jobId}/cancel), wait until it ends, then delete it"),
        };

    private static async Task<Results<FileContentHttpResult, NotFound<string>>> PngAsync(Guid jobId, int index, string role, JobQueries queries,
        IBlobStore blobs, CancellationToken cancellationToken)
    {
        var outputs = await queries.GetOutputsAsync(jobId, index, cancellationToken);
        if (outputs is null)
            return TypedResults.NotFound($"job {jobId} has no item {index}");
        if (!outputs.Pngs.TryGetValue(role, out var png))
            return TypedResults.NotFound($"item {index} of job {jobId} has no '{role}' image (it has: {string.Join(", ", outputs.Pngs.Keys)})");
        try
        {
            return TypedResults.File(await blobs.GetAsync(png, cancellationToken), ContentTypes.Png);
        }
        catch (BlobNotFoundException)
        {
            return TypedResults.NotFound($"the '{role}' image of item {index} is no longer stored");
        }
    }

    private static async Task<Results<ContentHttpResult, NotFound>> PageAsync(Guid jobId, JobQueries queries, CancellationToken cancellationToken,
        int skip = 0)
    {
        var status = await queries.GetStatusAsync(jobId, cancellationToken);
        if (status is null)
            return TypedResults.NotFound();
        skip = Math.Max(0, skip);
        var items = await queries.ListItemsWithPngsAsync(jobId, skip, JobPage.ItemsPerPage, cancellationToken);
        return TypedResults.Content(JobPage.Render(status, items, skip), "text/html; charset=utf-8");
    }

    /// <summary>The sign-in form's post: a known key sets the page session cookie and goes back to the page asked for.</summary>
    private static async Task<IResult> SignInAsync(HttpContext context, IOptions<ApiOptions> options)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = PageSession.LocalPath(form["returnUrl"].ToString());
        var key = PageSession.MatchKey(options.Value.ApiKeys, form["apiKey"].ToString());
        if (key is null)
            return Results.Content(JobPage.SignIn(returnUrl, refused: true), "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
        context.Response.Cookies.Append(PageSession.CookieName, PageSession.TokenOf(key), PageSession.CookieFor(context.Request));
        return Results.Redirect(returnUrl ?? "/login");
    }

    private static async Task<Results<Ok<JobStatus>, NotFound>> StatusAsync(Guid jobId, JobQueries queries, CancellationToken cancellationToken) =>
        await queries.GetStatusAsync(jobId, cancellationToken) is { } status ? TypedResults.Ok(status) : TypedResults.NotFound();

    private static async Task<Ok<IReadOnlyList<ItemSummary>>> ItemsAsync(Guid jobId, JobQueries queries, CancellationToken cancellationToken,
        string? state = null, int skip = 0, int take = 100) =>
        TypedResults.Ok(await queries.ListItemsAsync(jobId, state, skip, take, cancellationToken));

    private static async Task<Results<Ok<ItemOutputs>, NotFound>> OutputsAsync(Guid jobId, int index, JobQueries queries,
        CancellationToken cancellationToken) =>
        await queries.GetOutputsAsync(jobId, index, cancellationToken) is { } outputs ? TypedResults.Ok(outputs) : TypedResults.NotFound();

    private static async Task<Results<Ok<JobTimings>, NotFound>> TimingsAsync(Guid jobId, JobQueries queries, CancellationToken cancellationToken) =>
        await queries.GetTimingsAsync(jobId, cancellationToken) is { } timings ? TypedResults.Ok(timings) : TypedResults.NotFound();

    private static async Task<Results<Accepted, NotFound, Conflict<string>>> CancelAsync(Guid jobId, JobQueries queries, JobSubmission submission,
        CancellationToken cancellationToken)
    {
        var status = await queries.GetStatusAsync(jobId, cancellationToken);
        if (status is null)
            return TypedResults.NotFound();
        if (status.IsFinished)
            return TypedResults.Conflict($"job {jobId} already ended ({status.State})");
        await submission.CancelAsync(jobId, cancellationToken);
        return TypedResults.Accepted($"/jobs/{jobId}");
    }

    /// <summary>A whole blob, or with <paramref name="offset"/> and <paramref name="length"/> one output inside a stage
    /// bundle (the item outputs list gives both for every output).</summary>
    private static async Task<Results<FileStreamHttpResult, FileContentHttpResult, NotFound, BadRequest<string>>> DownloadAsync(string name,
        IBlobStore blobs, IOptions<ApiOptions> options, CancellationToken cancellationToken, long? offset = null, long? length = null)
    {
        if (!BlobNames.IsServable(name))
            return TypedResults.NotFound();
        if (offset is not null || length is not null)
        {
            if (offset is not { } from || length is not { } count || from < 0 || count < 0 || count > options.Value.MaxRangeBytes)
                return TypedResults.BadRequest($"offset and length go together: offset ≥ 0, 0 ≤ length ≤ {options.Value.MaxRangeBytes}");
            try
            {
                return TypedResults.Bytes(await blobs.ReadRangeAsync(name, from, count, cancellationToken), ContentTypes.Binary);
            }
            catch (BlobNotFoundException)
            {
                return TypedResults.NotFound();
            }
        }
        var stream = await blobs.TryOpenReadAsync(name, cancellationToken);
        return stream is null ? TypedResults.NotFound() : TypedResults.Stream(stream, ContentTypes.FromName(name), Path.GetFileName(name));
    }
}
