using Pipeline.Coordinator.Persistence;
using Pipeline.Coordinator.StateMachines;

namespace Pipeline.Distributed.Tests.Coordinator;

/// <summary>The dispatch and counting arithmetic of the job saga.</summary>
public sealed class When_job_progress_is_computed
{
    private static JobState Job(int total, int maxInFlight) =>
        new() { CorrelationId = Guid.NewGuid(), Total = total, MaxInFlight = maxInFlight, FinishedItems = JobProgress.EmptyBitmap(total) };

    [Fact]
    public void Should_start_no_more_than_the_in_flight_limit_and_top_up_one_per_finished_item()
    {
        var job = Job(total: 10, maxInFlight: 3);

        Assert.Equal([0, 1, 2], JobProgress.TakeNext(job, Guid.NewGuid()));
        Assert.Empty(JobProgress.TakeNext(job, Guid.NewGuid()));
        Assert.True(JobProgress.TryMarkFinished(job, 1));
        job.Completed++;
        Assert.Equal([3], JobProgress.TakeNext(job, Guid.NewGuid()));
    }

    [Fact]
    public void Should_count_a_report_once()
    {
        var job = Job(total: 20, maxInFlight: 20);

        Assert.True(JobProgress.TryMarkFinished(job, 13));
        Assert.False(JobProgress.TryMarkFinished(job, 13));
        Assert.True(JobProgress.IsFinished(job, 13));
        Assert.False(JobProgress.IsFinished(job, 12));
    }

    [Fact]
    public void Should_restart_exactly_what_a_returning_message_started_and_nothing_for_a_stranger()
    {
        var job = Job(total: 10, maxInFlight: 2);
        var first = Guid.NewGuid();
        JobProgress.TakeNext(job, first);
        JobProgress.TryMarkFinished(job, 0);
        job.Completed++;
        var second = Guid.NewGuid();
        Assert.Equal([2], JobProgress.TakeNext(job, second));

        Assert.Equal([2], JobProgress.StartsOf(job, second));
        Assert.Equal([1], JobProgress.StartsOf(job, first));
        Assert.Empty(JobProgress.StartsOf(job, Guid.NewGuid()));
    }

    [Fact]
    public void Should_stop_starting_items_once_cancel_is_requested()
    {
        var job = Job(total: 10, maxInFlight: 5);
        job.CancelRequested = true;

        Assert.Empty(JobProgress.TakeNext(job, Guid.NewGuid()));
    }

    [Fact]
    public void Should_refuse_an_index_outside_the_job()
    {
        var job = Job(total: 4, maxInFlight: 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => JobProgress.TryMarkFinished(job, 4));
    }

    [Fact]
    public void Should_derive_the_same_item_id_for_the_same_job_and_index_and_different_ones_otherwise()
    {
        var jobId = Guid.NewGuid();

        Assert.Equal(ItemIds.For(jobId, 5), ItemIds.For(jobId, 5));
        Assert.NotEqual(ItemIds.For(jobId, 5), ItemIds.For(jobId, 6));
        Assert.NotEqual(ItemIds.For(jobId, 5), ItemIds.For(Guid.NewGuid(), 5));
    }
}
