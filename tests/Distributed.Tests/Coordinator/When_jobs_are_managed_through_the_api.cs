using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator.Api;
using Pipeline.Coordinator.Jobs;
using Pipeline.Coordinator.Persistence;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Storage;
using Pipeline.TestWorkers;

namespace Pipeline.Distributed.Tests.Coordinator;

/// <summary>Listing, deleting and keeping jobs, and the PNG renders, through the coordinator's API with the test workers.</summary>
public sealed class When_jobs_are_managed_through_the_api
{
    private static readonly int Size = CoordinatorWithTestWorkers.ImageSize;

    private static byte[] Image(int seed) => TestImages.Png(seed, Size, Size);

    [Fact]
    public async Task Should_list_jobs_newest_first_in_bounded_pages()
    {
        await using var coordinator = await CoordinatorWithTestWorkers.StartAsync();
        var ids = new List<Guid>();
        for (var seed = 0; seed < 3; seed++)
            ids.Add((await coordinator.RunAsync([Image(seed)])).JobId);

        var first = await coordinator.Client.ListJobsAsync(0, 2, CancellationToken.None);
        var second = await coordinator.Client.ListJobsAsync(2, 2, CancellationToken.None);
        var atLeastOne = await coordinator.Client.ListJobsAsync(0, 0, CancellationToken.None);

        Assert.Equal([ids[2], ids[1]], first.Select(j => j.JobId));
        Assert.Equal([ids[0]], second.Select(j => j.JobId));
        Assert.All(first.Concat(second), j => Assert.Equal(("Completed", 1, 1), (j.State, j.Total, j.Completed)));
        Assert.Single(atLeastOne);
    }

    [Fact]
    public async Task Should_tell_the_client_an_unknown_job_and_a_refused_key_apart_from_other_answers()
    {
        await using var coordinator = await CoordinatorWithTestWorkers.StartAsync();
        var ended = await coordinator.RunAsync([Image(4)]);
        using var wrongKey = new Pipeline.Coordinator.Client.CoordinatorClient(coordinator.Address, "not-the-key");

        var unknown = await coordinator.Client.CancelAsync(Guid.NewGuid(), CancellationToken.None);
        var endedAnswer = await Assert.ThrowsAsync<HttpRequestException>(() => coordinator.Client.CancelAsync(ended.JobId, CancellationToken.None));
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => wrongKey.ListJobsAsync(0, 5, CancellationToken.None));

        Assert.False(unknown);
        Assert.Equal(HttpStatusCode.Conflict, endedAnswer.StatusCode);
        Assert.Contains("already ended", endedAnswer.Message);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("API key was refused", refused.Message);
    }

    [Fact]
    public async Task Should_serve_every_png_render_of_an_item_at_the_model_size()
    {
        await using var coordinator = await CoordinatorWithTestWorkers.StartAsync();
        var job = await coordinator.RunAsync([Image(1)]);
        using var http = coordinator.Http();

        var outputs = (await coordinator.Client.GetOutputsAsync(job.JobId, 0, CancellationToken.None))!;
        var final = await http.GetAsync($"jobs/{job.JobId}/items/0/png/final");
        var bytes = await final.Content.ReadAsByteArrayAsync();
        var unknown = await http.GetAsync($"jobs/{job.JobId}/items/0/png/latent");

        Assert.Equal(["coarse", "edited-1", "edited-2", "final", "input", "inversion", "mask"], outputs.Pngs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        Assert.Equal("image/png", final.Content.Headers.ContentType?.MediaType);
        Assert.True(PngHeader.TryRead(bytes, out var width, out var height), "the final render is not a PNG");
        Assert.Equal((Size, Size), (width, height));
        Assert.Equal(outputs.Pngs["final"].Sha256, Sha256Hex.Of(bytes));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no 'latent' image", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Should_delete_an_ended_job_with_its_outputs_rows_and_the_uploads_only_it_used()
    {
        await using var coordinator = await CoordinatorWithTestWorkers.StartAsync();
        var deleted = await coordinator.RunAsync([Image(1), Image(2)]);
        var kept = await coordinator.RunAsync([Image(2)]);
        var blobs = coordinator.Services.GetRequiredService<IBlobStore>();
        var own = (await coordinator.Client.GetOutputsAsync(deleted.JobId, 0, CancellationToken.None))!.Blobs["source"].Name;
        var shared = (await coordinator.Client.GetOutputsAsync(kept.JobId, 0, CancellationToken.None))!.Blobs["source"].Name;
        var stored = await blobs.ListAsync(BlobNames.JobFolder(deleted.JobId), CancellationToken.None);
        using var http = coordinator.Http();

        var response = await http.DeleteAsync($"jobs/{deleted.JobId}");
        var again = await http.DeleteAsync($"jobs/{deleted.JobId}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.NotEmpty(stored);
        Assert.Empty(await blobs.ListAsync(BlobNames.JobFolder(deleted.JobId), CancellationToken.None));
        Assert.Null(await blobs.TryGetRefAsync(own, CancellationToken.None));
        Assert.NotNull(await blobs.TryGetRefAsync(shared, CancellationToken.None));
        Assert.Null(await coordinator.Client.GetStatusAsync(deleted.JobId, CancellationToken.None));
        await using (var scope = coordinator.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CoordinatorDbContext>();
            Assert.Equal(0, await db.Items.CountAsync(i => i.JobId == deleted.JobId));
            Assert.Equal(1, await db.Items.CountAsync(i => i.JobId == kept.JobId));
        }
        Assert.NotEmpty(await blobs.ListAsync(BlobNames.JobFolder(kept.JobId), CancellationToken.None));
        Assert.Equal("Completed", (await coordinator.Client.GetStatusAsync(kept.JobId, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Should_refuse_to_delete_a_running_job_and_say_what_to_do()
    {
        await using var coordinator = await CoordinatorWithTestWorkers.StartAsync(Stalled);
        var running = await coordinator.RunAsync([Image(1)], wait: false);
        using var http = coordinator.Http();

        var response = await http.DeleteAsync($"jobs/{running.JobId}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("still running: cancel it", await response.Content.ReadAsStringAsync());
        Assert.NotNull(await coordinator.Client.GetStatusAsync(running.JobId, CancellationToken.None));
    }

    [Fact]
    public async Task Should_let_retention_delete_only_jobs_that_ended_longer_ago_than_it()
    {
        var settings = new Dictionary<string, string?>(Stalled) { ["CoordinatorOptions:Retention:FinishedJobs"] = "01:00:00" };
        await using var coordinator = await CoordinatorWithTestWorkers.StartAsync(settings);
        // The first batch of the invert stage stalls: the first job runs on, the second ends.
        var running = await coordinator.RunAsync([Image(1)], wait: false);
        await WaitUntilStalledAsync(coordinator);
        var ended = await coordinator.RunAsync([Image(2)]);
        var retention = coordinator.Services.GetRequiredService<FinishedJobRetention>();

        var young = await retention.ScanAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        var old = await retention.ScanAsync(DateTimeOffset.UtcNow.AddHours(2), CancellationToken.None);

        Assert.Equal("Completed", ended.State);
        Assert.Equal((0, 1), (young, old));
        Assert.Null(await coordinator.Client.GetStatusAsync(ended.JobId, CancellationToken.None));
        Assert.Equal("Running", (await coordinator.Client.GetStatusAsync(running.JobId, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Should_accept_the_page_session_for_reads_only_and_never_the_key_in_it()
    {
        await using var coordinator = await CoordinatorWithTestWorkers.StartAsync();
        var job = await coordinator.RunAsync([Image(1)]);
        using var anonymous = coordinator.Http(withKey: false);
        var signIn = await anonymous.PostAsync("login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["apiKey"] = CoordinatorWithTestWorkers.ApiKey,
            ["returnUrl"] = "https://elsewhere.example/",
        }));
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        var session = cookie.Split(';')[0];

        HttpRequestMessage With(HttpMethod method, string path, string value)
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.Add("Cookie", value);
            return request;
        }
        var read = await anonymous.SendAsync(With(HttpMethod.Get, $"jobs/{job.JobId}", session));
        var delete = await anonymous.SendAsync(With(HttpMethod.Delete, $"jobs/{job.JobId}", session));
        var forged = await anonymous.SendAsync(With(HttpMethod.Get, $"jobs/{job.JobId}", $"{PageSession.CookieName}=AAAA"));

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/login", signIn.Headers.Location?.OriginalString);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(CoordinatorWithTestWorkers.ApiKey, cookie);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.NotNull(await coordinator.Client.GetStatusAsync(job.JobId, CancellationToken.None));
    }

    private static readonly Dictionary<string, string?> Stalled = new()
    {
        ["TestProcessorOptions:StallBatchesOf"] = nameof(Stage.Invert),
        ["TestProcessorOptions:Stall"] = "00:05:00",
        // The stalled batch holds one slot; the other jobs run in the second.
        ["WorkerOptions:ConcurrentBatches"] = "2",
    };

    /// <summary>Waits until the worker holds the stalled batch: an item the coordinator has sent but the worker has
    /// not yet taken would join that batch and stall with it.</summary>
    private static async Task WaitUntilStalledAsync(CoordinatorWithTestWorkers coordinator)
    {
        var calls = coordinator.Services.GetRequiredService<ProcessorCalls>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (calls.StallCandidates == 0)
            await Task.Delay(20, timeout.Token);
    }
}
