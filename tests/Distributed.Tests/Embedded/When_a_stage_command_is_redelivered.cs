using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Hosting.Bus;
using Pipeline.Storage;

namespace Pipeline.Distributed.Tests.Embedded;

/// <summary>A stage command whose outputs are already stored and that may have been handled before (resent by the
/// coordinator after a crash, redelivered, retried) is acknowledged by re-announcing the stored outputs, without calling
/// the processor again. A first delivery does not look.</summary>
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
        await endpoint.Send(new InvertItem(status.JobId, outputs.ItemId, 0, items[0].Source, Jobs.TwoEdits, Jobs.Seeded), (SendContext<InvertItem> send) => StageCommandHeaders.MarkResent(send));
        var again = await probe.WaitForAsync(e => e.ItemId == outputs.ItemId, TimeSpan.FromSeconds(20));

        Assert.Equal(computed, harness.Calls.Invert);
        Assert.Equal(outputs.Blobs["latent"], again.Latent);
        Assert.Equal(outputs.Blobs["inversion"], again.Inversion);
        var after = (await harness.Pipeline.GetStatusAsync(status.JobId, CancellationToken.None))!;
        Assert.Equal((2, 0, "Completed"), (after.Completed, after.Failed, after.State));
    }

    [Fact]
    public async Task Should_recompute_when_an_output_in_the_stored_bundle_no_longer_hashes_right()
    {
        await using var harness = await EmbeddedHarness.StartAsync();
        var items = await harness.UploadAsync([TestImages.Png(1)]);
        var status = await harness.RunAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded));
        var outputs = (await harness.Pipeline.GetOutputsAsync(status.JobId, 0, CancellationToken.None))!;
        var bundleName = BlobNames.Bundle(status.JobId, 0, Stage.Invert);
        var stored = (await harness.Pipeline.Blobs.TryGetRefAsync(bundleName, CancellationToken.None))!;
        var bytes = await harness.Pipeline.Blobs.GetAsync(stored, CancellationToken.None);
        bytes[(int)outputs.Blobs["inversion"].Offset!.Value] ^= 0xFF;
        await harness.Pipeline.Blobs.PutAsync(bundleName, bytes, StageBundle.ContentType, CancellationToken.None);
        var computed = harness.Calls.Invert;
        await using var probe = await EventProbe<ItemInverted>.ConnectAsync(harness.Pipeline.Services);

        var queues = harness.Pipeline.Services.GetRequiredService<QueueNames>();
        var endpoint = await harness.Pipeline.Services.GetRequiredService<IBus>().GetSendEndpoint(QueueNames.Address(queues.Invert));
        await endpoint.Send(new InvertItem(status.JobId, outputs.ItemId, 0, items[0].Source, Jobs.TwoEdits, Jobs.Seeded), (SendContext<InvertItem> send) => StageCommandHeaders.MarkResent(send));
        var again = await probe.WaitForAsync(e => e.ItemId == outputs.ItemId, TimeSpan.FromSeconds(20));

        Assert.Equal(computed + 1, harness.Calls.Invert);
        Assert.Equal(outputs.Blobs["inversion"], again.Inversion);
        Assert.Equal(outputs.Blobs["inversion"].Sha256, Sha256Hex.Of(await harness.Pipeline.Blobs.GetAsync(again.Inversion, CancellationToken.None)));
    }

    [Fact]
    public async Task Should_recompute_an_unmarked_duplicate_without_changing_what_is_stored()
    {
        await using var harness = await EmbeddedHarness.StartAsync();
        var items = await harness.UploadAsync([TestImages.Png(1)]);
        var status = await harness.RunAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded));
        var outputs = (await harness.Pipeline.GetOutputsAsync(status.JobId, 0, CancellationToken.None))!;
        var bundleName = BlobNames.Bundle(status.JobId, 0, Stage.Invert);
        var before = await harness.Pipeline.Blobs.TryGetRefAsync(bundleName, CancellationToken.None);
        var computed = harness.Calls.Invert;
        await using var probe = await EventProbe<ItemInverted>.ConnectAsync(harness.Pipeline.Services);

        var queues = harness.Pipeline.Services.GetRequiredService<QueueNames>();
        var endpoint = await harness.Pipeline.Services.GetRequiredService<IBus>().GetSendEndpoint(QueueNames.Address(queues.Invert));
        await endpoint.Send(new InvertItem(status.JobId, outputs.ItemId, 0, items[0].Source, Jobs.TwoEdits, Jobs.Seeded));
        var again = await probe.WaitForAsync(e => e.ItemId == outputs.ItemId, TimeSpan.FromSeconds(20));

        Assert.Equal(computed + 1, harness.Calls.Invert);
        Assert.Equal(outputs.Blobs["inversion"], again.Inversion);
        Assert.Equal(before, await harness.Pipeline.Blobs.TryGetRefAsync(bundleName, CancellationToken.None));
    }
}
