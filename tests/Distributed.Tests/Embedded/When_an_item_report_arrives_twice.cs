using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator.StateMachines;
using Pipeline.Distributed.Tests.Support;

namespace Pipeline.Distributed.Tests.Embedded;

/// <summary>A redelivered ItemCompleted (the coordinator died after saving, before acknowledging) is not counted
/// twice, so the job neither ends early nor reports more items than it has.</summary>
public sealed class When_an_item_report_arrives_twice
{
    [Fact]
    public async Task Should_count_each_item_once()
    {
        const int total = 6;
        await using var harness = await EmbeddedHarness.StartAsync(new Dictionary<string, string?>
        {
            ["TestProcessorOptions:DelayPerItem"] = "00:00:00.040",
        });
        var items = await harness.UploadAsync(Enumerable.Range(0, total).Select(i => TestImages.Png(i)));
        var accepted = await harness.Pipeline.SubmitAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded, MaxInFlight: 1), CancellationToken.None);
        using var timeout = new CancellationTokenSource(EmbeddedHarness.JobTimeout);
        while ((await harness.Pipeline.GetStatusAsync(accepted.JobId, timeout.Token))!.Completed < 1)
            await Task.Delay(10, timeout.Token);

        var bus = harness.Pipeline.Services.GetRequiredService<IBus>();
        var duplicate = new ItemCompleted(accepted.JobId, ItemIds.For(accepted.JobId, 0), 0);
        await bus.Publish(duplicate);
        await bus.Publish(duplicate);
        var midway = (await harness.Pipeline.GetStatusAsync(accepted.JobId, timeout.Token))!;
        var status = await harness.Pipeline.WaitAsync(accepted.JobId, null, timeout.Token);

        Assert.False(midway.IsFinished && midway.Completed < total, "the duplicates ended the job early");
        Assert.Equal((total, 0, "Completed"), (status.Completed, status.Failed, status.State));
    }
}
