using System.Text.Json;
using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;

namespace Pipeline.Distributed.Tests.Telemetry;

/// <summary><c>Telemetry:LogFormat=json</c>: the console gets one JSON object per message, with the item's scope
/// (stage, job id, item id and index) as fields of the lines written while a worker handles that item.</summary>
public sealed class When_logs_are_written_as_json
{
    [Fact]
    public async Task Should_write_json_lines_that_name_the_item_in_their_scope()
    {
        // The console logger takes Console.Out when the host is built; only this job's lines are read back.
        var console = new StringWriter();
        var original = Console.Out;
        Console.SetOut(console);
        EmbeddedHarness harness;
        try
        {
            harness = await EmbeddedHarness.StartAsync(new Dictionary<string, string?> { ["Telemetry:LogFormat"] = "json" });
        }
        finally
        {
            Console.SetOut(original);
        }
        JobStatus status;
        try
        {
            // The wrong size makes the invert stage reject the item, which it logs as a warning inside the item's scope.
            var items = await harness.UploadAsync([TestImages.Png(500, width: TestImages.Size + 8)]);
            status = await harness.RunAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded));
        }
        finally
        {
            await harness.DisposeAsync();
        }
        Assert.Equal(1, status.Failed);

        var job = status.JobId.ToString();
        var lines = console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Contains(job, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var rejected = Assert.Single(entries, e => e.GetProperty("Message").GetString()!.Contains("rejected", StringComparison.Ordinal));
        Assert.Equal("Warning", rejected.GetProperty("LogLevel").GetString());
        var scope = Assert.Single(rejected.GetProperty("Scopes").EnumerateArray(), s => s.TryGetProperty("ItemId", out _));
        Assert.Equal(job, scope.GetProperty("JobId").GetString());
        Assert.Equal(0, scope.GetProperty("ItemIndex").GetInt32());
        Assert.Equal("Invert", scope.GetProperty("Stage").GetString());
        Assert.Equal(rejected.GetProperty("State").GetProperty("ItemId").GetString(), scope.GetProperty("ItemId").GetString());
    }
}
