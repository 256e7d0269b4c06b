using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;

namespace Pipeline.Distributed.Tests.Embedded;

/// <summary>A corrupt image, a wrong-size image, an unknown attribute, a NaN strength and a missing source among good
/// items: the bad ones fail with a reason a person can act on, the good ones complete, and the job ends.</summary>
public sealed class When_a_job_mixes_good_and_bad_items
{
    [Fact]
    public async Task Should_fail_only_the_bad_items_each_with_a_reason_and_finish_the_job()
    {
        await using var harness = await EmbeddedHarness.StartAsync();
        var good = await harness.UploadAsync(Enumerable.Range(0, 5).Select(i => TestImages.Png(i)));
        var corrupt = (await harness.UploadAsync([TestImages.Corrupt(1)]))[0];
        var wrongSize = (await harness.UploadAsync([TestImages.Png(2, width: 40, height: 24)]))[0];
        var fine = good[0].Source;
        var missing = fine with { Name = "uploads/" + new string('a', 64) + ".png" };
        List<JobItemSpec> items =
        [
            good[0], corrupt, good[1], wrongSize, good[2],
            new(fine, [new EditSpec("moustache", 1.0)]),
            good[3],
            new(fine, [new EditSpec("age", double.NaN)]),
            good[4],
            new(missing),
        ];

        var status = await harness.RunAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded, MaxInFlight: 3));

        Assert.Equal(("Completed", 5, 5), (status.State, status.Completed, status.Failed));
        var listed = await harness.Pipeline.ListItemsAsync(status.JobId, CancellationToken.None);
        var reasons = listed.Where(i => i.State == "Failed").ToDictionary(i => i.Index, i => i.FailureReason!);
        Assert.Equal([1, 3, 5, 7, 9], reasons.Keys.Order());
        Assert.Contains("not a PNG image", reasons[1]);
        Assert.Contains("40×24 pixels", reasons[3]);
        Assert.Contains("unknown attribute 'moustache'", reasons[5]);
        Assert.Contains("strength NaN", reasons[7]);
        Assert.Contains("missing from storage", reasons[9]);
        Assert.All(listed.Where(i => i.State == "Failed"), i => Assert.Equal(nameof(Stage.Invert), i.FailedStage));
        Assert.All(listed.Where(i => i.Index is 0 or 2 or 4 or 6 or 8), i => Assert.Equal("Completed", i.State));
    }
}
