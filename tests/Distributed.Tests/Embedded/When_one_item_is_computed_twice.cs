using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Embedded;
using Pipeline.Hosting.Bus;
using Pipeline.Hosting.Workers;
using Pipeline.Storage;
using Pipeline.Workers.Deghost;
using Pipeline.Workers.DiffCam;
using Pipeline.Workers.Invert;
using Pipeline.Workers.Method;

namespace Pipeline.Distributed.Tests.Embedded;

/// <summary>Two copies of one stage command (resent while the first still runs, or duplicated) compute the item twice.
/// What they store must be the same bytes, so the hashes the coordinator took from the first copy's event stay true of
/// the stored bundle and the next stage accepts it. The method's processors on the demo pack, whose wall-clock time
/// differs on every run.</summary>
public sealed class When_one_item_is_computed_twice
{
    private static readonly EditSpec[] Edits = [new("smile", 1), new("eyeglasses", 1)];
    private static readonly JobOptions Options = JobOptions.Default;

    private static byte[] Sample() => File.ReadAllBytes(Directory.GetFiles(RepositoryPaths.Samples, "*.png").Order(StringComparer.Ordinal).First());

    [Fact]
    public async Task Should_make_the_same_bytes_at_every_stage()
    {
        using var models = new LoadedModels(Microsoft.Extensions.Options.Options.Create(new ModelOptions { Directory = RepositoryPaths.DemoPack }),
            NullLogger<LoadedModels>.Instance);
        var invert = new EditingInvertProcessor(models);
        var diffCam = new EditingDiffCamProcessor(models);
        var deghost = new EditingDeghostProcessor(models);
        await invert.LoadAsync(CancellationToken.None);
        var id = Guid.NewGuid();
        var source = Sample();

        async Task<(InvertOutput, DiffCamOutput, DeghostOutput)> RunAsync()
        {
            var inverted = (await invert.ProcessAsync([new InvertInput(id, source, Edits, Options)], CancellationToken.None)).Single();
            var masked = (await diffCam.ProcessAsync([new DiffCamInput(id, inverted.Output!.Input, inverted.Output.Inversion, inverted.Output.Edited,
                Options, Edits)], CancellationToken.None)).Single();
            var final = (await deghost.ProcessAsync([new DeghostInput(id, masked.Output!.Composite, Options)], CancellationToken.None)).Single();
            Assert.NotNull(inverted.Milliseconds);
            return (inverted.Output, masked.Output, final.Output!);
        }

        var (invert1, mask1, final1) = await RunAsync();
        var (invert2, mask2, final2) = await RunAsync();

        Assert.Equal(Hashes([invert1.Latent, invert1.Input, invert1.Inversion, .. invert1.Edited]),
            Hashes([invert2.Latent, invert2.Input, invert2.Inversion, .. invert2.Edited]));
        Assert.Equal(Hashes([mask1.Mask, mask1.Composite]), Hashes([mask2.Mask, mask2.Composite]));
        Assert.Equal(Hashes([final1.Final]), Hashes([final2.Final]));
    }

    [Fact]
    public async Task Should_keep_what_the_first_copy_announced_true_when_two_more_copies_run_at_once()
    {
        using var folder = new TempDirectory("pipeline-twice");
        await using var pipeline = await EmbeddedPipeline.StartAsync(
            new EmbeddedPipelineOptions { WorkDirectory = folder.Path, Settings =
            {
                ["Models:Directory"] = RepositoryPaths.DemoPack,
                // One message a batch: a stage drops the second copy of an item from a batch that holds both.
                ["WorkerOptions:MaxBatchSize"] = "1",
            } },
            EmbeddedPipeline.AddEditingProcessors, CancellationToken.None);
        var source = await pipeline.UploadAsync(Sample(), MediaTypes.Png, CancellationToken.None);
        var accepted = await pipeline.SubmitAsync(new SubmitJobRequest([new JobItemSpec(source)], Edits, Options), CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var done = await pipeline.WaitAsync(accepted.JobId, null, timeout.Token);
        Assert.Equal(("Completed", 1), (done.State, done.Completed));
        var first = (await pipeline.GetOutputsAsync(accepted.JobId, 0, CancellationToken.None))!;
        var bundle = BlobNames.Bundle(accepted.JobId, 0, Stage.Invert);
        var storedBefore = await pipeline.Blobs.TryGetRefAsync(bundle, CancellationToken.None);

        await using var inverted = await EventProbe<ItemInverted>.ConnectAsync(pipeline.Services);
        await using var masked = await EventProbe<ItemDiffCamCompleted>.ConnectAsync(pipeline.Services);
        await using var rejected = await EventProbe<ItemRejected>.ConnectAsync(pipeline.Services);
        var queues = pipeline.Services.GetRequiredService<QueueNames>();
        var bus = pipeline.Services.GetRequiredService<IBus>();
        var invertQueue = await bus.GetSendEndpoint(queues.AddressOf(queues.Invert));
        // Plain duplicates (not marked resent): neither looks for stored outputs, both compute.
        var command = new InvertItem(accepted.JobId, first.ItemId, 0, source, Edits, Options);
        await Task.WhenAll(invertQueue.Send(command), invertQueue.Send(command));
        await WaitUntilAsync(() => inverted.Seen.Count(e => e.ItemId == first.ItemId) >= 2);

        Assert.All(inverted.Seen, again =>
        {
            Assert.Equal(first.Blobs["latent"], again.Latent);
            Assert.Equal(first.Blobs["input"], again.Input);
            Assert.Equal(first.Blobs["inversion"], again.Inversion);
            Assert.Equal([first.Blobs["edited/1"], first.Blobs["edited/2"]], again.Edited);
        });
        Assert.Equal(storedBefore, await pipeline.Blobs.TryGetRefAsync(bundle, CancellationToken.None));
        // The next stage, handed what the coordinator holds from the first copy, reads it as undamaged.
        var diffCamQueue = await bus.GetSendEndpoint(queues.AddressOf(queues.DiffCam));
        await diffCamQueue.Send(new DiffCamItem(accepted.JobId, first.ItemId, 0, first.Blobs["input"], first.Blobs["inversion"],
            [first.Blobs["edited/1"], first.Blobs["edited/2"]], Options, Edits));
        await WaitUntilAsync(() => masked.Seen.Any(e => e.ItemId == first.ItemId) || rejected.Seen.Any(e => e.ItemId == first.ItemId));
        Assert.Empty(rejected.Seen.Select(r => r.Reason));
        Assert.Equal(first.Blobs["mask"], masked.Seen.Single(e => e.ItemId == first.ItemId).Mask);
    }

    private static string[] Hashes(IEnumerable<Payload> payloads) => payloads.Select(p => Sha256Hex.Of(p.Bytes.Span)).ToArray();

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
            await Task.Delay(20, timeout.Token);
    }
}
