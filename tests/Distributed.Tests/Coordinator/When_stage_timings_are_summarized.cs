using Pipeline.Contracts.Api;
using Pipeline.Coordinator.Jobs;

namespace Pipeline.Distributed.Tests.Coordinator;

/// <summary>The per-stage summary behind <c>GET /jobs/{id}/timings</c>: counts, means and medians over the items that
/// recorded a stage, stages in the method's order.</summary>
public sealed class When_stage_timings_are_summarized
{
    [Fact]
    public void Should_give_each_stage_its_count_mean_and_median_in_the_methods_order()
    {
        Dictionary<string, StageTiming>[] items =
        [
            new() { ["Deghost"] = new(1, 2, 30, 1, 4, 5), ["Invert"] = new(10, 1, 100, 2, 1, 1) },
            new() { ["Invert"] = new(20, 3, 100, 2, 3, 3) },
            new() { ["Invert"] = new(90, 2, 40, 4, 2, 2) },
            new(),
        ];

        var stages = StageTimingSummaries.Of(items);

        Assert.Equal(["Invert", "Deghost"], stages.Select(s => s.Stage));
        var invert = stages[0];
        Assert.Equal(3, invert.Items);
        Assert.Equal(new TimingFigure(40, 20), invert.Queue);
        Assert.Equal(new TimingFigure(2, 2), invert.Inputs);
        Assert.Equal(new TimingFigure(80, 100), invert.Compute);
        Assert.Equal(new TimingFigure(2, 2), invert.Outputs);
        Assert.Equal(new TimingFigure(2, 2), invert.Report);
        Assert.Equal(8 / 3.0, invert.MeanBatchSize, 9);
        Assert.Equal((1, new TimingFigure(30, 30)), (stages[1].Items, stages[1].Compute));
    }

    [Fact]
    public void Should_take_the_middle_two_as_the_median_of_an_even_count()
    {
        Dictionary<string, StageTiming>[] items = [.. new[] { 1.0, 9, 3, 4 }.Select(q => new Dictionary<string, StageTiming> { ["DiffCam"] = new(q, 0, 0, 1, 0, 0) })];

        Assert.Equal(new TimingFigure(4.25, 3.5), StageTimingSummaries.Of(items).Single().Queue);
    }
}
