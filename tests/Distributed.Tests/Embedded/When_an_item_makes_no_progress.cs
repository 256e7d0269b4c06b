using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator.Persistence;
using Pipeline.Coordinator.StateMachines;
using Pipeline.Distributed.Tests.Support;

namespace Pipeline.Distributed.Tests.Embedded;

/// <summary>The coordinator's deadline watch: an item left behind — its stage command stuck in a worker that never
/// answers, its start lost between the job and the item, its report lost between the item and the job — is driven
/// again, and fails with the stage and a reason when re-sends do not help. Without the watch each of these jobs waits
/// forever.</summary>
public sealed class When_an_item_makes_no_progress
{
    private static readonly TimeSpan Stall = TimeSpan.FromMinutes(2);

    private static Dictionary<string, string?> Deadlines(int redrives = 3) => new()
    {
        ["CoordinatorOptions:StageDeadline"] = "00:00:01",
        ["CoordinatorOptions:DeadlineScanInterval"] = "00:00:00.200",
        ["CoordinatorOptions:StageRedrives"] = redrives.ToString(),
        ["WorkerOptions:ConcurrentBatches"] = "2",
    };

    [Fact]
    public async Task Should_send_a_stuck_stage_command_again_and_complete_the_job()
    {
        var settings = Deadlines();
        settings["TestProcessorOptions:StallBatchesOf"] = nameof(Stage.Deghost);
        settings["TestProcessorOptions:Stall"] = Stall.ToString();
        await using var harness = await EmbeddedHarness.StartAsync(settings);
        var items = await harness.UploadAsync(Enumerable.Range(0, 3).Select(i => TestImages.Png(i)));

        var clock = Stopwatch.StartNew();
        var status = await harness.RunAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded));

        Assert.Equal(("Completed", 3, 0), (status.State, status.Completed, status.Failed));
        Assert.True(clock.Elapsed < Stall / 2, $"the job took {clock.Elapsed}: it waited for the stuck batch");
        Assert.True(harness.Calls.Deghost > items.Count, $"deghost computed {harness.Calls.Deghost} items: the stuck ones were not sent again");
    }

    [Fact]
    public async Task Should_fail_the_item_at_that_stage_when_re_sends_do_not_help()
    {
        var settings = Deadlines(redrives: 1);
        settings["TestProcessorOptions:StallBatchesOf"] = nameof(Stage.DiffCam);
        settings["TestProcessorOptions:StalledBatches"] = "1000";
        settings["TestProcessorOptions:Stall"] = Stall.ToString();
        await using var harness = await EmbeddedHarness.StartAsync(settings);
        var items = await harness.UploadAsync(Enumerable.Range(0, 2).Select(i => TestImages.Png(i)));

        var status = await harness.RunAsync(new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded));

        Assert.Equal(("Completed", 0, 2), (status.State, status.Completed, status.Failed));
        var listed = await harness.Pipeline.ListItemsAsync(status.JobId, CancellationToken.None);
        Assert.All(listed, item =>
        {
            Assert.Equal(nameof(Stage.DiffCam), item.FailedStage);
            Assert.Contains("no result from the DiffCam stage", item.FailureReason);
            Assert.Contains("sent 2 times", item.FailureReason);
        });
    }

    [Fact]
    public async Task Should_start_items_whose_start_was_lost()
    {
        await using var harness = await EmbeddedHarness.StartAsync(Deadlines());
        var items = await harness.UploadAsync(Enumerable.Range(0, 3).Select(i => TestImages.Png(i)));
        // As a job row is left when the starts its first message sent ended in an error queue: two items counted in
        // flight, still Pending, and nothing on the way to them.
        var jobId = await SeedJobAsync(harness, items, dispatched: 2, item => { });

        var status = await WaitAsync(harness, jobId);

        Assert.Equal(("Completed", 3, 0), (status.State, status.Completed, status.Failed));
    }

    [Fact]
    public async Task Should_report_again_an_ended_item_the_job_never_counted()
    {
        await using var harness = await EmbeddedHarness.StartAsync(Deadlines());
        var items = await harness.UploadAsync([TestImages.Png(0)]);
        var jobId = await SeedJobAsync(harness, items, dispatched: 1, item =>
        {
            item.CurrentState = nameof(EditItemStateMachine.Failed);
            item.FailedStage = Stage.Deghost;
            item.FailureReason = "failed before its report was lost";
        });

        var status = await WaitAsync(harness, jobId);

        Assert.Equal(("Completed", 0, 1), (status.State, status.Completed, status.Failed));
    }

    /// <summary>Writes a job and its items as the submit consumer does, an hour old, with the first
    /// <paramref name="dispatched"/> items counted as started and no message sent to anyone.</summary>
    private static async Task<Guid> SeedJobAsync(EmbeddedHarness harness, List<JobItemSpec> items, int dispatched, Action<ItemState> adjust)
    {
        var jobId = Guid.NewGuid();
        var then = DateTimeOffset.UtcNow - TimeSpan.FromHours(1);
        await using var scope = harness.Pipeline.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoordinatorDbContext>();
        db.Jobs.Add(new JobState
        {
            CorrelationId = jobId,
            CurrentState = nameof(EditJobStateMachine.Running),
            Total = items.Count,
            Dispatched = dispatched,
            MaxInFlight = dispatched,
            FinishedItems = JobProgress.EmptyBitmap(items.Count),
            Edits = [.. Jobs.TwoEdits],
            Options = Jobs.Seeded,
            CreatedAt = then,
        });
        for (var index = 0; index < items.Count; index++)
        {
            var item = new ItemState
            {
                CorrelationId = ItemIds.For(jobId, index),
                JobId = jobId,
                Index = index,
                CurrentState = nameof(EditItemStateMachine.Pending),
                Source = items[index].Source,
                Edits = [.. Jobs.TwoEdits],
                Options = Jobs.Seeded,
                UpdatedAt = then,
            };
            if (index < dispatched)
                adjust(item);
            db.Items.Add(item);
        }
        await db.SaveChangesAsync();
        return jobId;
    }

    private static async Task<JobStatus> WaitAsync(EmbeddedHarness harness, Guid jobId)
    {
        using var timeout = new CancellationTokenSource(EmbeddedHarness.JobTimeout);
        return await harness.Pipeline.WaitAsync(jobId, null, timeout.Token);
    }
}
