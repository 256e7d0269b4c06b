using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;

namespace Pipeline.Distributed.Tests.Embedded;

/// <summary>The job saga starts at most MaxInFlight items at a time and tops up as items finish.</summary>
public sealed class When_items_in_flight_are_limited
{
    [Fact]
    public async Task Should_never_have_more_items_in_flight_than_the_limit_and_still_use_it()
    {
        const int limit = 3;
        await using var harness = await EmbeddedHarness.StartAsync(new Dictionary<string, string?>
        {
            ["TestProcessorOptions:DelayPerItem"] = "00:00:00.030",
        });
        var items = await harness.UploadAsync(Enumerable.Range(0, 12).Select(i => TestImages.Png(i)));
        var observed = new List<int>();

        var status = await harness.RunAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded, MaxInFlight: limit),
            new SynchronousProgress(s => observed.Add(s.InFlight)));

        Assert.Equal(12, status.Completed);
        Assert.All(observed, inFlight => Assert.InRange(inFlight, 0, limit));
        Assert.Contains(limit, observed);
    }
}
