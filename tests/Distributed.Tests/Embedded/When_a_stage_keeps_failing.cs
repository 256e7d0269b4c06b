using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;

namespace Pipeline.Distributed.Tests.Embedded;

/// <summary>A stage whose batches always throw: retries run out, the messages go to the error queue, the Fault fails
/// each item with the stage and the exception's message, and the job still ends.</summary>
public sealed class When_a_stage_keeps_failing
{
    [Fact]
    public async Task Should_fail_the_items_at_that_stage_with_the_reason_and_end_the_job()
    {
        await using var harness = await EmbeddedHarness.StartAsync(new Dictionary<string, string?>
        {
            ["TestProcessorOptions:FailEveryBatchOf"] = nameof(Stage.Deghost),
        });
        var items = await harness.UploadAsync(Enumerable.Range(0, 3).Select(i => TestImages.Png(i)));

        var status = await harness.RunAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded));

        Assert.Equal(("Completed", 0, 3), (status.State, status.Completed, status.Failed));
        var listed = await harness.Pipeline.ListItemsAsync(status.JobId, CancellationToken.None);
        Assert.All(listed, item =>
        {
            Assert.Equal(nameof(Stage.Deghost), item.FailedStage);
            Assert.Contains("gave up after retries", item.FailureReason);
            Assert.Contains("told to fail every batch", item.FailureReason);
        });
    }
}
