using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;
using Pipeline.TestWorkers;

namespace Pipeline.Distributed.Tests.Embedded;

/// <summary>The embedded pipeline (in-memory transport, SQLite, local blobs) carrying a job through all three stages.</summary>
public sealed class When_a_job_runs_embedded
{
    private const int ItemCount = 10;

    [Fact]
    public async Task Should_complete_every_item_with_each_stage_fed_by_the_previous_ones_outputs()
    {
        await using var harness = await EmbeddedHarness.StartAsync();
        var images = Enumerable.Range(0, ItemCount).Select(i => TestImages.Png(i)).ToList();
        var items = await harness.UploadAsync(images);

        var status = await harness.RunAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded, MaxInFlight: 4));

        Assert.Equal(("Completed", ItemCount, 0, 0), (status.State, status.Completed, status.Failed, status.Cancelled));
        for (var index = 0; index < ItemCount; index++)
        {
            var outputs = await harness.Pipeline.GetOutputsAsync(status.JobId, index, CancellationToken.None);
            Assert.NotNull(outputs);
            Assert.Equal("Completed", outputs.State);
            var blobs = harness.Pipeline.Blobs;
            var latent = await blobs.GetAsync(outputs.Blobs["latent"], CancellationToken.None);
            Assert.Equal(Derived.From("latent", Jobs.Seeded.Seed, images[index]), latent);
            Assert.Equal(Jobs.TwoEdits.Count, outputs.Blobs.Keys.Count(k => k.StartsWith("edited/")));
            var composite = await blobs.GetAsync(outputs.Blobs["composite"], CancellationToken.None);
            var final = await blobs.GetAsync(outputs.Blobs["final"], CancellationToken.None);
            Assert.Equal(Derived.From("final", Jobs.Seeded.Seed, composite), final);
        }
    }

    [Fact]
    public async Task Should_batch_items_into_fewer_processor_calls_than_items()
    {
        await using var harness = await EmbeddedHarness.StartAsync(new Dictionary<string, string?>
        {
            ["WorkerOptions:MaxBatchWait"] = "00:00:00.200",
        });
        var items = await harness.UploadAsync(Enumerable.Range(0, 8).Select(i => TestImages.Png(100 + i)));

        var status = await harness.RunAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded, MaxInFlight: 8));

        Assert.Equal(8, status.Completed);
        Assert.Equal(8, harness.Calls.Invert);
        Assert.True(harness.Calls.InvertBatches < 8, $"{harness.Calls.InvertBatches} invert calls for 8 items: no batching happened");
    }
}
