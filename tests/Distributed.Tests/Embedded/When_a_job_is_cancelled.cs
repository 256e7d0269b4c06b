using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;

namespace Pipeline.Distributed.Tests.Embedded;

/// <summary>Cancel stops new items from starting, lets started ones finish, and ends the job with exact counts.</summary>
public sealed class When_a_job_is_cancelled
{
    [Fact]
    public async Task Should_finish_started_items_cancel_the_rest_and_end_as_cancelled()
    {
        await using var harness = await EmbeddedHarness.StartAsync(new Dictionary<string, string?>
        {
            ["TestProcessorOptions:DelayPerItem"] = "00:00:00.050",
        });
        var items = await harness.UploadAsync(Enumerable.Range(0, 20).Select(i => TestImages.Png(i)));
        var accepted = await harness.Pipeline.SubmitAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded, MaxInFlight: 2), CancellationToken.None);
        using var timeout = new CancellationTokenSource(EmbeddedHarness.JobTimeout);
        while ((await harness.Pipeline.GetStatusAsync(accepted.JobId, timeout.Token))!.Completed < 2)
            await Task.Delay(20, timeout.Token);

        await harness.Pipeline.CancelAsync(accepted.JobId, CancellationToken.None);
        var status = await harness.Pipeline.WaitAsync(accepted.JobId, null, timeout.Token);

        Assert.Equal("Cancelled", status.State);
        Assert.True(status.Cancelled > 0, "nothing was cancelled");
        Assert.Equal(20, status.Completed + status.Failed + status.Cancelled);
        Assert.Equal(0, status.Failed);
        // The never-started rows are marked by a separate consumer, possibly just after the job ended.
        var listed = await harness.Pipeline.ListItemsAsync(accepted.JobId, CancellationToken.None);
        for (var attempt = 0; attempt < 100 && listed.Count(i => i.State == "Cancelled") < status.Cancelled; attempt++)
        {
            await Task.Delay(50, timeout.Token);
            listed = await harness.Pipeline.ListItemsAsync(accepted.JobId, CancellationToken.None);
        }
        Assert.Equal(status.Cancelled, listed.Count(i => i.State == "Cancelled"));
        Assert.Equal(status.Completed, listed.Count(i => i.State == "Completed"));
    }
}
