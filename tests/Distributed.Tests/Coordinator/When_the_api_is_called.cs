using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Storage;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator;
using Pipeline.Coordinator.Client;
using Pipeline.Distributed.Tests.Support;

namespace Pipeline.Distributed.Tests.Coordinator;

/// <summary>The coordinator's HTTP API in process (test server, SQLite, in-memory bus, no workers).</summary>
public sealed class When_the_api_is_called : IAsyncLifetime
{
    private const string ApiKey = "test-key-123";
    private readonly TempDirectory _folder = new("pipeline-api");
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = Build(new Dictionary<string, string?> { ["ApiOptions:ApiKeys:0"] = ApiKey });
        await _app.StartAsync();
        _client = _app.GetTestClient();
        _client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
    }

    [Fact]
    public async Task Should_refuse_a_request_without_a_valid_key_but_answer_liveness()
    {
        var anonymous = _app.GetTestClient();
        var wrongKey = _app.GetTestClient();
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "nope");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"jobs/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync($"jobs/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("health/live")).StatusCode);
    }

    [Fact]
    public async Task Should_accept_an_upload_and_a_job_then_report_its_status_and_items()
    {
        var png = TestImages.Png(3);
        using var body = new ByteArrayContent(png);
        body.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var upload = await _client.PostAsync("uploads", body);
        var blob = (await upload.Content.ReadFromJsonAsync<BlobRef>(CoordinatorClient.Json))!;

        var submit = await _client.PostAsJsonAsync("jobs", new SubmitJobRequest([new JobItemSpec(blob), new JobItemSpec(blob)], Jobs.TwoEdits, MaxInFlight: 1),
            CoordinatorClient.Json);
        var accepted = (await submit.Content.ReadFromJsonAsync<JobAcceptedResponse>(CoordinatorClient.Json))!;
        // The job saga starts the first item right after acceptance; no worker runs here, so it stays in Inverting.
        List<ItemSummary>? items;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        do
        {
            await Task.Delay(20, timeout.Token);
            items = await _client.GetFromJsonAsync<List<ItemSummary>>($"jobs/{accepted.JobId}/items", CoordinatorClient.Json, timeout.Token);
        } while (items![0].State == "Pending");
        var status = await _client.GetFromJsonAsync<JobStatus>(accepted.StatusUrl.TrimStart('/'), CoordinatorClient.Json);
        var source = await _client.GetByteArrayAsync($"blobs/{blob.Name}");
        var timings = await _client.GetFromJsonAsync<JobTimings>($"jobs/{accepted.JobId}/timings", CoordinatorClient.Json);

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        Assert.Equal(("Running", 2, 1, 1), (status!.State, status.Total, status.InFlight, status.Pending));
        Assert.Equal(["Inverting", "Pending"], items!.Select(i => i.State));
        Assert.Equal(png, source);
        Assert.Equal((accepted.JobId, 0), (timings!.JobId, timings.Stages.Count));
    }

    [Fact]
    public async Task Should_refuse_an_empty_job_with_the_reason()
    {
        var response = await _client.PostAsJsonAsync("jobs", new SubmitJobRequest([], Jobs.TwoEdits), CoordinatorClient.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at least one item", await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string, string> OverTheLimits => new()
    {
        { """{"maxInFlight":0}""", "maxInFlight", "at least 1" },
        { """{"maxInFlight":100000}""", "maxInFlight", "at most 256" },
        { """{"edits":[SEVENTEEN]}""", "edits", "at most 16" },
        { """{"items":[{"source":SOURCE,"edits":[SEVENTEEN]}]}""", "items[0].edits", "at most 16" },
        { """{"options":{"seed":1,"halfPrecisionTensors":false,"settings":{"projection":"{\"Steps\":1000000}"}}}""", "options.settings.projection.Steps", "at most 2000" },
        { """{"options":{"seed":1,"halfPrecisionTensors":false,"settings":{"projection":"{\"MeanSamples\":1e12}"}}}""", "options.settings.projection.MeanSamples", "at most 100000" },
        { """{"options":{"seed":1,"halfPrecisionTensors":false,"settings":{"projection":"{\"vggWeights\":\"/etc/shadow\"}"}}}""", "options.settings.projection.VggWeights", "configuration" },
    };

    [Theory]
    [MemberData(nameof(OverTheLimits))]
    public async Task Should_refuse_a_job_over_a_limit_naming_the_field_and_the_limit(string change, string field, string limit)
    {
        var source = """{"name":"uploads/aa.png","sha256":"aa","length":1,"contentType":"image/png"}""";
        var seventeen = string.Join(",", Enumerable.Repeat("""{"attribute":"smile","strength":1}""", 17));
        var body = System.Text.Json.Nodes.JsonNode.Parse($$"""{"items":[{"source":{{source}}}],"edits":[{"attribute":"smile","strength":1}]}""")!.AsObject();
        foreach (var (key, value) in System.Text.Json.Nodes.JsonNode.Parse(change.Replace("SEVENTEEN", seventeen).Replace("SOURCE", source))!.AsObject().ToList())
            body[key] = value?.DeepClone();

        var response = await _client.PostAsync("jobs", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(limit, Assert.Single(problem!.Errors[field]));
        Assert.DoesNotContain("/etc/shadow", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Should_not_serve_blobs_outside_uploads_and_jobs()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("blobs/secrets/key.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"jobs/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"jobs/{Guid.NewGuid()}/timings")).StatusCode);
    }

    [Fact]
    public async Task Should_serve_one_output_of_a_stage_bundle_by_its_range()
    {
        var blobs = _app.Services.GetRequiredService<IBlobStore>();
        var bundle = new StageBundle.Writer(BlobNames.Bundle(Guid.NewGuid(), 0, Stage.DiffCam));
        bundle.Add(TestImages.Png(1), "image/png");
        var composite = bundle.Add(TestImages.Png(2), "image/png");
        await blobs.PutAsync(bundle.Name, bundle.Build("{}"u8), StageBundle.ContentType, CancellationToken.None);

        var slice = await _client.GetByteArrayAsync($"blobs/{composite.Name}?offset={composite.Offset}&length={composite.Length}");
        var halfRange = await _client.GetAsync($"blobs/{composite.Name}?offset={composite.Offset}");

        Assert.Equal(TestImages.Png(2), slice);
        Assert.Equal(HttpStatusCode.BadRequest, halfRange.StatusCode);
    }

    [Fact]
    public async Task Should_describe_itself_in_openapi_with_the_api_key_scheme()
    {
        var document = await _app.GetTestClient().GetStringAsync("openapi/v1.json");

        Assert.Contains("\"/jobs/{jobId}\"", document);
        Assert.Contains("X-Api-Key", document);
    }

    [Fact]
    public async Task Should_refuse_to_start_without_an_api_key()
    {
        await using var keyless = Build(new Dictionary<string, string?>());

        await Assert.ThrowsAsync<OptionsValidationException>(() => keyless.StartAsync());
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _folder.Dispose();
    }

    private WebApplication Build(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        var folder = Path.Combine(_folder.Path, Guid.NewGuid().ToString("N"));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DatabaseOptions:ConnectionString"] = $"Data Source={Path.Combine(_folder.Path, $"{Guid.NewGuid():N}.db")}",
            ["BlobStorageOptions:Root"] = folder,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCoordinator();
        var app = builder.Build();
        app.MapCoordinator();
        return app;
    }
}
