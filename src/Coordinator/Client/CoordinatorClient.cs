using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator.Api;
using Pipeline.Storage;
using Polly;
using Polly.Retry;

namespace Pipeline.Coordinator.Client;

/// <summary>Typed client of the coordinator's HTTP API (used by <c>pipeline submit</c> and the service tests).
/// Reads are retried with backoff, so a client waiting on a job rides out a coordinator restart.</summary>
public sealed class CoordinatorClient : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly HttpClient _http;
    private readonly ResiliencePipeline _reads;

    public CoordinatorClient(Uri baseAddress, string apiKey, TimeSpan? outageTolerance = null)
    {
        // Relative paths resolve under the base only when it ends with '/'.
        var root = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromMinutes(5) };
        _http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, apiKey);
        var tolerance = outageTolerance ?? TimeSpan.FromMinutes(2);
        _reads = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(e => e.StatusCode is null or >= HttpStatusCode.InternalServerError)
                    .Handle<TaskCanceledException>(e => e.InnerException is TimeoutException),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(2),
                MaxRetryAttempts = (int)Math.Ceiling(tolerance / TimeSpan.FromSeconds(2)) + 4,
            })
            .Build();
    }

    public async Task<BlobRef> UploadAsync(byte[] content, string contentType, CancellationToken cancellationToken)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await _http.PostAsync("uploads", body, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<BlobRef>(Json, cancellationToken))!;
    }

    public async Task<JobAcceptedResponse> SubmitAsync(SubmitJobRequest request, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("jobs", request, Json, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<JobAcceptedResponse>(Json, cancellationToken))!;
    }

    /// <summary>A page of jobs, newest first.</summary>
    public async Task<IReadOnlyList<JobStatus>> ListJobsAsync(int skip, int take, CancellationToken cancellationToken) =>
        await GetOrNullAsync<List<JobStatus>>($"jobs?skip={skip}&take={take}", cancellationToken) ?? [];

    /// <summary>Deletes an ended job; false when the coordinator does not know it. A running job is refused (409, with the reason).</summary>
    public async Task<bool> DeleteAsync(Guid jobId, CancellationToken cancellationToken)
    {
        using var response = await _http.DeleteAsync($"jobs/{jobId}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        await EnsureSuccessAsync(response, cancellationToken);
        return true;
    }

    public Task<JobStatus?> GetStatusAsync(Guid jobId, CancellationToken cancellationToken) =>
        GetOrNullAsync<JobStatus>($"jobs/{jobId}", cancellationToken);

    public async Task<IReadOnlyList<ItemSummary>> ListItemsAsync(Guid jobId, CancellationToken cancellationToken, int skip = 0, int take = 1000) =>
        await GetOrNullAsync<List<ItemSummary>>($"jobs/{jobId}/items?skip={skip}&take={take}", cancellationToken) ?? [];

    /// <summary>Every item of the job, page by page.</summary>
    public async Task<IReadOnlyList<ItemSummary>> ListAllItemsAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var all = new List<ItemSummary>();
        while (true)
        {
            var page = await ListItemsAsync(jobId, cancellationToken, all.Count);
            all.AddRange(page);
            if (page.Count == 0)
                return all;
        }
    }

    public Task<ItemOutputs?> GetOutputsAsync(Guid jobId, int index, CancellationToken cancellationToken) =>
        GetOrNullAsync<ItemOutputs>($"jobs/{jobId}/items/{index}/outputs", cancellationToken);

    /// <summary>Per stage, where the job's items spent their time; null when the coordinator does not know the job.</summary>
    public Task<JobTimings?> TimingsAsync(Guid jobId, CancellationToken cancellationToken) =>
        GetOrNullAsync<JobTimings>($"jobs/{jobId}/timings", cancellationToken);

    /// <summary>Downloads a blob (or the output slice of a stage bundle it names) through the coordinator and checks its SHA-256.</summary>
    public async Task<byte[]> DownloadAsync(BlobRef blob, CancellationToken cancellationToken)
    {
        var bytes = await _reads.ExecuteAsync(async token =>
        {
            var path = blob.Offset is { } offset
                ? string.Create(CultureInfo.InvariantCulture, $"blobs/{blob.Name}?offset={offset}&length={blob.Length}")
                : $"blobs/{blob.Name}";
            using var response = await _http.GetAsync(path, token);
            await EnsureSuccessAsync(response, token);
            return await response.Content.ReadAsByteArrayAsync(token);
        }, cancellationToken);
        BlobSlices.Verify(blob, bytes);
        return bytes;
    }

    /// <summary>Asks the coordinator to stop starting the job's items; false when it does not know the job. An ended job
    /// is refused (409, with the reason).</summary>
    public async Task<bool> CancelAsync(Guid jobId, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync($"jobs/{jobId}/cancel", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        await EnsureSuccessAsync(response, cancellationToken);
        return true;
    }

    /// <summary>Polls the job until it ends, reporting each status; survives coordinator restarts.</summary>
    public async Task<JobStatus> WaitAsync(Guid jobId, IProgress<JobStatus>? progress, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = await GetStatusAsync(jobId, cancellationToken) ?? throw new InvalidOperationException($"job {jobId} is unknown to the coordinator");
            progress?.Report(status);
            if (status.IsFinished)
                return status;
            await Task.Delay(pollInterval, cancellationToken);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<T?> GetOrNullAsync<T>(string path, CancellationToken cancellationToken) where T : class =>
        await _reads.ExecuteAsync(async token =>
        {
            using var response = await _http.GetAsync(path, token);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return null;
            await EnsureSuccessAsync(response, token);
            return await response.Content.ReadFromJsonAsync<T>(Json, token);
        }, cancellationToken);

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
            return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        // An empty 401 says nothing to a person at a terminal: name what was refused.
        if (response.StatusCode == HttpStatusCode.Unauthorized && string.IsNullOrWhiteSpace(body))
            body = "the API key was refused";
        throw new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase}: {body}", null, response.StatusCode);
    }
}
