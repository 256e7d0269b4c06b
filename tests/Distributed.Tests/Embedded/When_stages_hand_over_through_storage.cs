using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Storage;

namespace Pipeline.Distributed.Tests.Embedded;

/// <summary>On a first delivery each stage makes one read and one write per item: the invert stage reads the upload
/// and carries it forward in its bundle, so the compose stage gets the source, the inversion and the edited images
/// with one ranged read instead of fetching the upload again.</summary>
public sealed class When_stages_hand_over_through_storage
{
    private const int Items = 4;

    [Fact]
    public async Task Should_read_each_upload_once_and_make_one_read_and_one_write_per_stage_and_item()
    {
        CountingBlobStore? counting = null;
        await using var harness = await EmbeddedHarness.StartAsync(configure: services => CountingBlobStore.Decorate(services, c => counting = c));
        var items = await harness.UploadAsync(Enumerable.Range(1, Items).Select(i => TestImages.Png(i)).ToArray());
        var before = counting!.Requests.Count;

        var status = await harness.RunAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded));

        Assert.Equal((Items, 0), (status.Completed, status.Failed));
        var job = counting.Requests.Skip(before).ToList();
        foreach (var item in items)
            Assert.Single(job, r => r.Name == item.Source.Name);
        var stages = Enum.GetValues<Stage>().Length;
        Assert.Equal(stages * Items, job.Count(r => r.Operation == "put"));
        Assert.Equal(stages * Items, job.Count(r => r.Operation is "get" or "range"));
        Assert.DoesNotContain(job, r => r.Operation is "probe" or "open");
        for (var index = 0; index < Items; index++)
        {
            var composeReads = job.Count(r => r.Operation is "get" or "range" && r.Name == BlobNames.Bundle(status.JobId, index, Stage.Invert));
            Assert.Equal(1, composeReads);
        }
    }
}
