using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Hosting.Bus;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Invert;
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
        var done = await CompletedJobAsync(harness, itemCount: 2);
        var computed = harness.Calls.Invert;

        var again = await SendInvertAgainAsync(harness, done, resent: true);

        Assert.Equal(computed, harness.Calls.Invert);
        Assert.Equal(done.Outputs.Blobs["latent"], again.Latent);
        Assert.Equal(done.Outputs.Blobs["inversion"], again.Inversion);
        var after = (await harness.Pipeline.GetStatusAsync(done.Status.JobId, CancellationToken.None))!;
        Assert.Equal((2, 0, "Completed"), (after.Completed, after.Failed, after.State));
    }

    [Fact]
    public async Task Should_recompute_when_an_output_in_the_stored_bundle_no_longer_hashes_right()
    {
        await using var harness = await EmbeddedHarness.StartAsync();
        var done = await CompletedJobAsync(harness, itemCount: 1);
        var blobs = harness.Pipeline.Blobs;
        var bundleName = BlobNames.Bundle(done.Status.JobId, 0, Stage.Invert);
        var bytes = await blobs.GetAsync((await blobs.TryGetRefAsync(bundleName, CancellationToken.None))!, CancellationToken.None);
        bytes[(int)done.Outputs.Blobs["inversion"].Offset!.Value] ^= 0xFF;
        await blobs.PutAsync(bundleName, bytes, StageBundle.ContentType, CancellationToken.None);
        var computed = harness.Calls.Invert;

        var again = await SendInvertAgainAsync(harness, done, resent: true);

        Assert.Equal(computed + 1, harness.Calls.Invert);
        Assert.Equal(done.Outputs.Blobs["inversion"], again.Inversion);
        Assert.Equal(done.Outputs.Blobs["inversion"].Sha256, Sha256Hex.Of(await blobs.GetAsync(again.Inversion, CancellationToken.None)));
    }

    [Fact]
    public async Task Should_recompute_an_unmarked_duplicate_without_changing_what_is_stored()
    {
        await using var harness = await EmbeddedHarness.StartAsync();
        var done = await CompletedJobAsync(harness, itemCount: 1);
        var bundleName = BlobNames.Bundle(done.Status.JobId, 0, Stage.Invert);
        var before = await harness.Pipeline.Blobs.TryGetRefAsync(bundleName, CancellationToken.None);
        var computed = harness.Calls.Invert;

        var again = await SendInvertAgainAsync(harness, done, resent: false);

        Assert.Equal(computed + 1, harness.Calls.Invert);
        Assert.Equal(done.Outputs.Blobs["inversion"], again.Inversion);
        Assert.Equal(before, await harness.Pipeline.Blobs.TryGetRefAsync(bundleName, CancellationToken.None));
    }

    [Fact]
    public async Task Should_keep_and_announce_the_first_stored_outputs_when_a_recompute_makes_other_bytes()
    {
        // Outputs that differ on every computation (as with noise drawn afresh): the second copy must not replace the
        // bundle whose hashes the coordinator already holds.
        await using var harness = await EmbeddedHarness.StartAsync(configure: services =>
        {
            var registered = services.Last(d => d.ServiceType == typeof(IInvertProcessor));
            services.Remove(registered);
            services.AddSingleton<IInvertProcessor>(provider =>
                new FreshNoise((IInvertProcessor)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!)));
        });
        var done = await CompletedJobAsync(harness, itemCount: 1);
        var bundleName = BlobNames.Bundle(done.Status.JobId, 0, Stage.Invert);
        var before = await harness.Pipeline.Blobs.TryGetRefAsync(bundleName, CancellationToken.None);
        var computed = harness.Calls.Invert;

        var again = await SendInvertAgainAsync(harness, done, resent: false);

        Assert.Equal(computed + 1, harness.Calls.Invert);
        Assert.Equal(done.Outputs.Blobs["latent"], again.Latent);
        Assert.Equal(before, await harness.Pipeline.Blobs.TryGetRefAsync(bundleName, CancellationToken.None));
        Assert.Equal(done.Outputs.Blobs["latent"].Sha256, Sha256Hex.Of(await harness.Pipeline.Blobs.GetAsync(again.Latent, CancellationToken.None)));
    }

    /// <summary>The test processor with a different latent on every call.</summary>
    private sealed class FreshNoise(IInvertProcessor inner) : IInvertProcessor
    {
        private int _calls;

        public Task LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);

        public async Task<IReadOnlyList<ItemOutcome<InvertOutput>>> ProcessAsync(IReadOnlyList<InvertInput> batch, CancellationToken cancellationToken)
        {
            var call = (byte)Interlocked.Increment(ref _calls);
            return (await inner.ProcessAsync(batch, cancellationToken)).Select(o => o.Output is { } output
                ? o with { Output = output with { Latent = output.Latent with { Bytes = output.Latent.Bytes.ToArray().Append(call).ToArray() } } }
                : o).ToList();
        }
    }

    private sealed record CompletedJob(IReadOnlyList<JobItemSpec> Items, JobStatus Status, ItemOutputs Outputs);

    private static async Task<CompletedJob> CompletedJobAsync(EmbeddedHarness harness, int itemCount)
    {
        var items = await harness.UploadAsync(Enumerable.Range(1, itemCount).Select(i => TestImages.Png(i)).ToArray());
        var status = await harness.RunAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded));
        var outputs = (await harness.Pipeline.GetOutputsAsync(status.JobId, 0, CancellationToken.None))!;
        return new CompletedJob(items, status, outputs);
    }

    /// <summary>Sends the first item's invert command again, as the coordinator does after a crash (marked resent) or
    /// as a plain duplicate, and returns the event the worker answers with.</summary>
    private static async Task<ItemInverted> SendInvertAgainAsync(EmbeddedHarness harness, CompletedJob done, bool resent)
    {
        await using var probe = await EventProbe<ItemInverted>.ConnectAsync(harness.Pipeline.Services);
        var queues = harness.Pipeline.Services.GetRequiredService<QueueNames>();
        var endpoint = await harness.Pipeline.Services.GetRequiredService<IBus>().GetSendEndpoint(queues.AddressOf(queues.Invert));
        var command = new InvertItem(done.Status.JobId, done.Outputs.ItemId, 0, done.Items[0].Source, Jobs.TwoEdits, Jobs.Seeded);
        if (resent)
            await endpoint.Send(command, (SendContext<InvertItem> send) => StageCommandHeaders.MarkResent(send));
        else
            await endpoint.Send(command);
        return await probe.WaitForAsync(e => e.ItemId == done.Outputs.ItemId, TimeSpan.FromSeconds(20));
    }
}
