using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;

namespace Pipeline.Distributed.Tests.Embedded;

/// <summary>Each stage's worker measures where an item's time went and the coordinator records it with the report time
/// (<see cref="StageTiming"/>), for every item and stage; the job's summary is what <c>GET /jobs/{id}/timings</c> serves.
/// The saga rows live in SQLite, or in PostgreSQL (its migrations) where the local services run.</summary>
[Collection(RealServicesCollection.Name)]
public sealed class When_stage_timings_are_recorded
{
    private const int ItemCount = 6;
    private static readonly TimeSpan DelayPerItem = TimeSpan.FromMilliseconds(15);

    [Fact]
    public Task Should_summarize_every_stage_over_every_item_with_the_processors_time_as_compute() => SummarizeAsync([]);

    [ServiceFact(ServiceVariables.Postgres)]
    public async Task Should_keep_the_timings_in_postgresql_too()
    {
        await using var database = new TestDatabase();
        await SummarizeAsync(new()
        {
            ["DatabaseOptions:Provider"] = "Postgres",
            ["DatabaseOptions:ConnectionString"] = database.ConnectionString,
        });
    }

    private static async Task SummarizeAsync(Dictionary<string, string?> settings)
    {
        settings["TestProcessorOptions:DelayPerItem"] = DelayPerItem.ToString("c");
        await using var harness = await EmbeddedHarness.StartAsync(settings);
        var items = await harness.UploadAsync(Enumerable.Range(0, ItemCount).Select(i => TestImages.Png(300 + i)));

        var status = await harness.RunAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded, MaxInFlight: 3));
        var timings = await harness.Pipeline.TimingsAsync(status.JobId, CancellationToken.None);

        Assert.Equal(ItemCount, status.Completed);
        Assert.NotNull(timings);
        Assert.Equal(Enum.GetNames<Stage>(), timings.Stages.Select(s => s.Stage));
        foreach (var stage in timings.Stages)
        {
            Assert.Equal(ItemCount, stage.Items);
            foreach (var (name, figure) in Figures(stage))
            {
                Assert.True(double.IsFinite(figure.MeanMs) && figure.MeanMs >= 0 && double.IsFinite(figure.MedianMs) && figure.MedianMs >= 0,
                    $"{stage.Stage} {name}: mean {figure.MeanMs} ms, median {figure.MedianMs} ms");
            }
            // The test processors wait DelayPerItem for every item of a batch.
            Assert.True(stage.Compute.MedianMs >= DelayPerItem.TotalMilliseconds * 0.9,
                $"{stage.Stage} compute median {stage.Compute.MedianMs} ms, below the processor's {DelayPerItem.TotalMilliseconds} ms");
            Assert.InRange(stage.MeanBatchSize, 1, 4);
        }
    }

    [Fact]
    public async Task Should_not_know_the_timings_of_an_unknown_job()
    {
        await using var harness = await EmbeddedHarness.StartAsync(noOpWorkers: true);

        Assert.Null(await harness.Pipeline.TimingsAsync(Guid.NewGuid(), CancellationToken.None));
    }

    private static IEnumerable<(string, TimingFigure)> Figures(StageTimingSummary stage) =>
        [("queue", stage.Queue), ("inputs", stage.Inputs), ("compute", stage.Compute), ("outputs", stage.Outputs), ("report", stage.Report)];
}
