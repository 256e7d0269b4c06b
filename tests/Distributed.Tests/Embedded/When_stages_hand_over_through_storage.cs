using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Storage;

namespace Pipeline.Distributed.Tests.Embedded;

/// <summary>On a first delivery each stage makes one write per batch, and the stage after it one read per bundle it
/// needs: the invert stage reads each upload and carries it forward in its bundle, so the compose stage gets the source,
/// the inversion and the edited images of the whole batch with one ranged read instead of fetching uploads again.</summary>
public sealed class When_stages_hand_over_through_storage
{
    private const int Items = 4;

    [Fact]
    public async Task Should_read_each_upload_once_and_make_one_write_and_one_read_per_stage_and_batch()
    {
        CountingBlobStore? counting = null;
        // Batches of all four items at every stage: the wait is long enough for the job's four commands to arrive.
        await using var harness = await EmbeddedHarness.StartAsync(
            settings: new Dictionary<string, string?> { ["WorkerOptions:MaxBatchWait"] = "00:00:05" },
            configure: services => CountingBlobStore.Decorate(services, c => counting = c));
        var items = await harness.UploadAsync(Enumerable.Range(1, Items).Select(i => TestImages.Png(i)).ToArray());
        var before = counting!.Requests.Count;

        var status = await harness.RunAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded));

        Assert.Equal((Items, 0), (status.Completed, status.Failed));
        var job = counting.Requests.Skip(before).ToList();
        foreach (var item in items)
            Assert.Single(job, r => r.Name == item.Source.Name);
        var all = Enumerable.Range(0, Items).ToList();
        var stages = Enum.GetValues<Stage>();
        foreach (var stage in stages)
            Assert.Single(job, r => r.Operation == "put" && r.Name == BlobNames.Bundle(status.JobId, stage, all));
        Assert.Equal(stages.Length, job.Count(r => r.Operation == "put"));
        // The compose stage reads the invert bundle once, the deghost stage the compose bundle once.
        Assert.Equal(Items + stages.Length - 1, job.Count(r => r.Operation is "get" or "range"));
        Assert.Single(job, r => r.Operation is "get" or "range" && r.Name == BlobNames.Bundle(status.JobId, Stage.Invert, all));
        Assert.DoesNotContain(job, r => r.Operation is "probe" or "open" or "list");
        var outputs = (await harness.Pipeline.GetOutputsAsync(status.JobId, 2, CancellationToken.None))!;
        Assert.Equal(BlobNames.Bundle(status.JobId, Stage.Deghost, all), outputs.Blobs["final"].Name);
    }

    [Fact]
    public async Task Should_store_each_jobs_outputs_in_its_own_folder_when_a_batch_mixes_jobs()
    {
        await using var harness = await EmbeddedHarness.StartAsync(
            settings: new Dictionary<string, string?> { ["WorkerOptions:MaxBatchWait"] = "00:00:05" });
        var first = await harness.UploadAsync([TestImages.Png(1), TestImages.Png(2)]);
        var second = await harness.UploadAsync([TestImages.Png(3), TestImages.Png(4)]);

        var done = await Task.WhenAll(harness.RunAsync(new SubmitJobRequest(first, Jobs.TwoEdits, Jobs.Seeded)),
            harness.RunAsync(new SubmitJobRequest(second, Jobs.TwoEdits, Jobs.Seeded)));

        Assert.Equal(1, harness.Calls.InvertBatches);    // both jobs' items in one batch
        foreach (var status in done)
        {
            Assert.Equal((2, 0), (status.Completed, status.Failed));
            for (var index = 0; index < 2; index++)
            {
                var outputs = (await harness.Pipeline.GetOutputsAsync(status.JobId, index, CancellationToken.None))!;
                Assert.All(outputs.Blobs.Where(b => b.Key != "source").Select(b => b.Value.Name),
                    name => Assert.StartsWith(BlobNames.JobFolder(status.JobId), name, StringComparison.Ordinal));
                Assert.Contains(index, BlobNames.IndicesOfBundle(outputs.Blobs["final"].Name));
            }
        }
    }
}
