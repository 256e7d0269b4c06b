using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Distributed.Tests.Services;

/// <summary>A poison message on the real broker: one item makes the invert worker process end at once, every time it
/// is run (as a native crash or an out-of-memory kill would). The worker is restarted each time, as Kubernetes does.
/// The item fails with a reason after <c>PoisonRuns</c> solo runs, the items that shared its batches complete, and the
/// job ends; without the quorum queue's delivery count and the solo runs, the message would be delivered forever.</summary>
[Collection(RealServicesCollection.Name)]
public sealed class When_a_message_crashes_its_worker(ITestOutputHelper output)
{
    private const int PoisonRuns = 2;
    private const int PoisonIndex = 3;

    [ServiceFact(ServiceVariables.Postgres, ServiceVariables.RabbitMq, ServiceVariables.Blobs)]
    public async Task Should_fail_that_item_with_a_reason_and_complete_the_others()
    {
        await using var deployment = await Deployment.StartAsync(output, new Dictionary<string, string>
        {
            ["TestProcessorOptions__CrashOnSourceWidth"] = "13",
            ["BusOptions__PoisonRuns"] = PoisonRuns.ToString(),
        });
        var images = Enumerable.Range(0, 7).Select(i => TestImages.Png(2000 + i)).ToList();
        images.Insert(PoisonIndex, TestImages.Png(2100, 13, 13));
        var items = await DistributedJob.UploadAsync(deployment, images);

        using var timeout = new CancellationTokenSource(DistributedJob.Timeout);
        var accepted = await deployment.Client.SubmitAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded), timeout.Token);
        var crashes = 0;
        JobStatus status;
        while (!(status = (await deployment.Client.GetStatusAsync(accepted.JobId, timeout.Token))!).IsFinished)
        {
            if (deployment.Worker(Stage.Invert).HasExited)
            {
                crashes++;
                Assert.True(crashes <= PoisonRuns + 3, $"the invert worker crashed {crashes} times: the poison message keeps coming back");
                await deployment.KillAndRestartWorkerAsync(Stage.Invert);
            }
            await Task.Delay(100, timeout.Token);
        }

        Assert.Equal(("Completed", images.Count - 1, 1), (status.State, status.Completed, status.Failed));
        var listed = await deployment.Client.ListAllItemsAsync(accepted.JobId, timeout.Token);
        var poison = Assert.Single(listed, item => item.State == "Failed");
        Assert.Equal((PoisonIndex, nameof(Stage.Invert)), (poison.Index, poison.FailedStage));
        Assert.Contains($"stopped {PoisonRuns} times", poison.FailureReason);
        // Once in its first batch, then once per solo run.
        Assert.Equal(PoisonRuns + 1, crashes);
    }
}
