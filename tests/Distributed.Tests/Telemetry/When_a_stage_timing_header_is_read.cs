using Pipeline.Contracts.Api;
using Pipeline.Hosting.Bus;

namespace Pipeline.Distributed.Tests.Telemetry;

/// <summary>The stage event's timing header (<see cref="StageTimingHeader"/>): what a worker writes the coordinator
/// reads back, and anything else reads as no timing instead of failing the stage event.</summary>
public sealed class When_a_stage_timing_header_is_read
{
    [Fact]
    public void Should_read_back_what_a_worker_wrote()
    {
        var timing = new StageTiming(QueueMs: 12.345, InputsMs: 4.1, ComputeMs: 1234.5, BatchSize: 3, OutputsMs: 0.25, ReportMs: 0);

        var text = StageTimingHeader.Format(timing);

        Assert.Equal("queue=12.345;inputs=4.1;compute=1234.5;batch=3;outputs=0.25", text);
        Assert.Equal(timing, StageTimingHeader.Parse(text));
    }

    [Fact]
    public void Should_read_the_figures_in_any_order_with_spaces_and_unknown_keys()
    {
        var timing = StageTimingHeader.Parse(" outputs=3 ; batch=2;later=x;compute=20.0;inputs=4.1;queue=-1.5 ");

        Assert.Equal(new StageTiming(-1.5, 4.1, 20, 2, 3, 0), timing);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("queue=1;inputs=2;compute=3;batch=2")]
    [InlineData("queue=1;inputs=2;compute=3;batch=0;outputs=4")]
    [InlineData("queue=1;inputs=2;compute=3;batch=2.5;outputs=4")]
    [InlineData("queue=1,5;inputs=2;compute=3;batch=2;outputs=4")]
    [InlineData("queue=NaN;inputs=2;compute=3;batch=2;outputs=4")]
    [InlineData("queue=Infinity;inputs=2;compute=3;batch=2;outputs=4")]
    [InlineData("queue=1;queue=2;inputs=2;compute=3;batch=2;outputs=4")]
    [InlineData("=1;queue=1;inputs=2;compute=3;batch=2;outputs=4")]
    public void Should_read_a_missing_or_malformed_header_as_no_timing(string? text) => Assert.Null(StageTimingHeader.Parse(text));
}
