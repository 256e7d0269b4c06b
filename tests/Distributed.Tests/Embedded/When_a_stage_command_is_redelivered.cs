using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Hosting.Bus;

namespace Pipeline.Distributed.Tests.Embedded;

/// <summary>A stage command whose outputs are already stored (a redelivery after a crash) is acknowledged by
/// re-announcing the stored outputs, without calling the processor again.</summary>
public sealed class When_a_stage_command_is_redelivered
{
    [Fact]
    public async Task Should_republish_the_stored_outputs_without_recomputing()
    {
        await using var harness = await EmbeddedHarness.StartAsync();
        var items = await harness.UploadAsync([TestImages.Png(1), TestImages.Png(2)]);
        var status = await harness.RunAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded));
        var outputs = (await harness.Pipeline.GetOutputsAsync(status.JobId, 0, CancellationToken.None))!;
        var computed = harness.Calls.Invert;
        await using var probe = await EventProbe<ItemInverted>.ConnectAsync(harness.Pipeline.Services);

        var queues = harness.Pipeline.Services.GetRequiredService<QueueNames>();
        var endpoint = await harness.Pipeline.Services.GetRequiredService<IBus>().GetSendEndpoint(QueueNames.Address(queues.Invert));
        await endpoint.Send(new InvertItem(status.JobId, outputs.ItemId, 0, items[0].Source, Jobs.TwoEdits, Jobs.Seeded));
        var again = await probe.WaitForAsync(e => e.ItemId == outputs.ItemId, TimeSpan.FromSeconds(20));

        Assert.Equal(computed, harness.Calls.Invert);
        Assert.Equal(outputs.Blobs["latent"], again.Latent);
        Assert.Equal(outputs.Blobs["inversion"], again.Inversion);
        var after = (await harness.Pipeline.GetStatusAsync(status.JobId, CancellationToken.None))!;
        Assert.Equal((2, 0, "Completed"), (after.Completed, after.Failed, after.State));
    }
}
