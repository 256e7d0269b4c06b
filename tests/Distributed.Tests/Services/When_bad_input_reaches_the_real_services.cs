using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator.Client;
using Pipeline.Distributed.Tests.Support;
using SkiaSharp;
using Xunit.Abstractions;

namespace Pipeline.Distributed.Tests.Services;

/// <summary>Hostile and odd input through the coordinator's HTTP API to the real workers on the demo pack: each one is
/// refused with HTTP 400 naming the field, or fails its own item with a reason, while the good items of the same job
/// complete and the workers' memory stays bounded. Prints the input → outcome table.</summary>
[Collection(RealServicesCollection.Name)]
public sealed class When_bad_input_reaches_the_real_services(ITestOutputHelper output)
{
    private const long MemoryLimitBytes = 2_500L * 1024 * 1024;
    private static readonly IReadOnlyList<EditSpec> Edits = [new("smile", 1)];

    [ServiceFact(ServiceVariables.Postgres, ServiceVariables.RabbitMq, ServiceVariables.Blobs)]
    public async Task Should_refuse_or_fail_each_bad_input_with_a_reason_and_complete_the_good_ones()
    {
        var rows = new List<(string Input, string Outcome)>();
        await using var deployment = await Deployment.StartAsync(output, realWorkers: true);
        using var http = new HttpClient { BaseAddress = deployment.Coordinator.Url };
        http.DefaultRequestHeaders.Add("X-Api-Key", Deployment.ApiKey);

        var empty = await http.PostAsync("uploads", new ByteArrayContent([]) { Headers = { { "Content-Type", "image/png" } } });
        rows.Add(("0-byte upload", $"{(int)empty.StatusCode} {await empty.Content.ReadAsStringAsync()}"));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);

        var sample = File.ReadAllBytes(Directory.GetFiles(RepositoryPaths.Samples, "*.png").Order(StringComparer.Ordinal).First());
        var jpeg = SkiaJpeg(sample);
        var inputs = new List<(string Name, byte[] Bytes, string ContentType)>
        {
            ("good PNG (sample, 64x64)", sample, "image/png"),
            ("good JPEG (Skia, 64x64)", jpeg, "image/jpeg"),
            ("CMYK JPEG 64x64", TestImages.CmykJpeg(64), "image/jpeg"),
            ("16-bit PNG 64x64", TestImages.Png(11, 64, 64, bitDepth: 16), "image/png"),
            ("PNG bomb: IHDR 20000x20000, 4 rows of data", TestImages.PngBomb(20_000), "image/png"),
        };
        for (ushort orientation = 2; orientation <= 8; orientation++)
            inputs.Add(($"JPEG with EXIF orientation {orientation}", TestImages.WithExifOrientation(jpeg, orientation), "image/jpeg"));
        var items = new List<JobItemSpec>();
        foreach (var (_, bytes, contentType) in inputs)
            items.Add(new JobItemSpec(await deployment.Client.UploadAsync(bytes, contentType, CancellationToken.None)));
        var goodSource = items[0].Source;

        var status = await DistributedJob.RunAsync(deployment, new SubmitJobRequest(items, Edits, MaxInFlight: 4));
        var summaries = await deployment.Client.ListItemsAsync(status.JobId, CancellationToken.None);
        foreach (var summary in summaries.OrderBy(s => s.Index))
        {
            var (name, bytes, _) = inputs[summary.Index];
            rows.Add(($"{name} ({bytes.Length} bytes)", summary.State == "Completed" ? "completed" : $"{summary.State} at {summary.FailedStage}: {summary.FailureReason}"));
            if (summary.State != "Completed")
                Assert.False(string.IsNullOrWhiteSpace(summary.FailureReason), $"{name} failed without a reason");
        }
        Assert.Equal(["Completed", "Completed"], summaries.Where(s => s.Index < 2).OrderBy(s => s.Index).Select(s => s.State));
        var bomb = summaries.Single(s => s.Index == 4);
        Assert.Equal("Failed", bomb.State);
        Assert.Contains("20000", bomb.FailureReason);

        var source = System.Text.Json.JsonSerializer.SerializeToNode(goodSource, CoordinatorClient.Json)!;
        JsonObject Job(Action<JsonObject> change)
        {
            var job = new JsonObject
            {
                ["items"] = new JsonArray(new JsonObject { ["source"] = source.DeepClone() }),
                ["edits"] = new JsonArray(new JsonObject { ["attribute"] = "smile", ["strength"] = 1 }),
            };
            change(job);
            return job;
        }
        var requests = new List<(string Input, JsonObject Body, string Field)>
        {
            ("strength +Infinity", Job(j => j["edits"]![0]!["strength"] = "Infinity"), "strength"),
            ("strength -Infinity", Job(j => j["edits"]![0]!["strength"] = "-Infinity"), "strength"),
            ("strength 1e999", Job(j => j["edits"] = JsonNode.Parse("""[{"attribute":"smile","strength":1e999}]""")), "strength"),
            ("'../' in a source name", Job(j => j["items"]![0]!["source"]!["name"] = "uploads/../secrets/key.png"), "items[0].source"),
            ("projection steps 10^9, mean samples 10^12", Job(j => j["options"] = new JsonObject
            {
                ["seed"] = 1, ["halfPrecisionTensors"] = false,
                ["settings"] = new JsonObject { ["inversion"] = "projection", ["projection"] = """{"Steps":1000000000,"MeanSamples":1000000000000}""" },
            }), "options.settings.projection.Steps"),
            ("projection naming VggWeights /etc/shadow", Job(j => j["options"] = new JsonObject
            {
                ["seed"] = 1, ["halfPrecisionTensors"] = false,
                ["settings"] = new JsonObject { ["projection"] = """{"VggWeights":"/etc/shadow"}""" },
            }), "options.settings.projection.VggWeights"),
            ("10,000-edit chain", Job(j => j["edits"] = new JsonArray(Enumerable.Range(0, 10_000)
                .Select(_ => (JsonNode)new JsonObject { ["attribute"] = "smile", ["strength"] = 0.01 }).ToArray())), "edits"),
            ("maxInFlight 0", Job(j => j["maxInFlight"] = 0), "maxInFlight"),
        };
        foreach (var (input, body, field) in requests)
        {
            var response = await http.PostAsync("jobs", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                // Accepted at the door: the item must then fail with a reason.
                var accepted = System.Text.Json.JsonSerializer.Deserialize<JobAcceptedResponse>(text, CoordinatorClient.Json)!;
                using var timeout = new CancellationTokenSource(DistributedJob.Timeout);
                await deployment.Client.WaitAsync(accepted.JobId, null, TimeSpan.FromMilliseconds(200), timeout.Token);
                var item = (await deployment.Client.ListItemsAsync(accepted.JobId, CancellationToken.None)).Single();
                rows.Add((input, $"202, then item {item.State} at {item.FailedStage}: {item.FailureReason}"));
                Assert.Equal("Failed", item.State);
                Assert.False(string.IsNullOrWhiteSpace(item.FailureReason));
                continue;
            }
            rows.Add((input, $"{(int)response.StatusCode} {Shorten(text)}"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(field, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("/etc/shadow", text);
        }

        foreach (var stage in Enum.GetValues<Stage>())
        {
            var peak = PeakResidentBytes(deployment.Worker(stage).Id);
            rows.Add(($"{stage} worker peak memory (VmHWM)", $"{peak / (1024.0 * 1024):0} MiB"));
            Assert.True(peak < MemoryLimitBytes, $"the {stage} worker peaked at {peak / (1024 * 1024)} MiB");
        }

        output.WriteLine("| input | outcome |");
        output.WriteLine("|---|---|");
        foreach (var (input, outcome) in rows)
            output.WriteLine($"| {input} | {outcome.ReplaceLineEndings(" ").Replace("|", "/")} |");
    }

    private static byte[] SkiaJpeg(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    /// <summary>VmHWM of a process: the most resident memory it ever held.</summary>
    private static long PeakResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
