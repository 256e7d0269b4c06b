using Pipeline.Contracts;
using Pipeline.Storage;
using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Distributed.Tests.Services;

/// <summary>The distributed mode end to end: RabbitMQ, PostgreSQL, Azurite and four separate processes (the
/// coordinator binary and one worker process per stage), including the failures the issue lists.</summary>
[Collection(RealServicesCollection.Name)]
public sealed class When_a_job_runs_on_the_real_services(ITestOutputHelper output)
{
    private const int ItemCount = 30;
    private const int MaxInFlight = 8;

    private static readonly Dictionary<string, string> Slow = new() { ["TestProcessorOptions__DelayPerItem"] = "00:00:00.100" };

    private static List<byte[]> Images() => Enumerable.Range(0, ItemCount).Select(i => TestImages.Png(1000 + i)).ToList();

    private static SubmitJobRequest Request(List<JobItemSpec> items) => new(items, Jobs.TwoEdits, Jobs.Seeded, MaxInFlight);

    [ServiceFact(ServiceVariables.Postgres, ServiceVariables.RabbitMq, ServiceVariables.Blobs)]
    public async Task Should_complete_30_items_with_the_same_outputs_as_the_embedded_run()
    {
        var images = Images();
        await using var deployment = await Deployment.StartAsync(output);
        var status = await DistributedJob.RunAsync(deployment, Request(await DistributedJob.UploadAsync(deployment, images)));
        var distributed = await DistributedJob.FinalHashesAsync(deployment, status.JobId, ItemCount);
        var timings = await deployment.Client.TimingsAsync(status.JobId, CancellationToken.None);

        await using var embedded = await EmbeddedHarness.StartAsync();
        var embeddedStatus = await embedded.RunAsync(Request(await embedded.UploadAsync(images)));
        var expected = new Dictionary<int, string>();
        for (var index = 0; index < ItemCount; index++)
            expected[index] = (await embedded.Pipeline.GetOutputsAsync(embeddedStatus.JobId, index, CancellationToken.None))!.Blobs["final"].Sha256;

        Assert.Equal(("Completed", ItemCount, 0), (status.State, status.Completed, status.Failed));
        Assert.Equal(expected, distributed);
        // The timing headers crossed RabbitMQ and the timings column PostgreSQL, for every item and stage.
        Assert.Equal(Enum.GetNames<Stage>().Select(stage => (stage, ItemCount)), timings!.Stages.Select(s => (s.Stage, s.Items)));
        Assert.All(timings.Stages, s => Assert.True(
            new[] { s.Queue, s.Inputs, s.Compute, s.Outputs, s.Report }.All(f => double.IsFinite(f.MeanMs) && f.MeanMs >= 0) && s.MeanBatchSize >= 1,
            $"{s.Stage}: {s}"));
    }

    [ServiceFact(ServiceVariables.Postgres, ServiceVariables.RabbitMq, ServiceVariables.Blobs)]
    public async Task Should_complete_every_item_and_write_no_output_twice_when_a_worker_is_killed_mid_job()
    {
        await using var deployment = await Deployment.StartAsync(output, Slow);
        var items = await DistributedJob.UploadAsync(deployment, Images());

        var status = await DistributedJob.RunAsync(deployment, Request(items),
            when: s => s.Completed >= 3,
            disrupt: () => deployment.KillAndRestartWorkerAsync(Stage.Invert));

        Assert.Equal(("Completed", ItemCount, 0), (status.State, status.Completed, status.Failed));
        var writes = deployment.WriteJournals.SelectMany(File.ReadAllLines).Select(line => line.Split(' ')[0]).ToList();
        Assert.True(deployment.WriteJournals.Count(j => Path.GetFileName(j).StartsWith("invert-")) == 2, "the invert worker was not restarted");
        Assert.Empty(writes.GroupBy(name => name).Where(g => g.Count() > 1).Select(g => g.Key));
        // Every item's final was written once, in one deghost bundle.
        var finals = writes.Where(name => name.Contains("/bundles/deghost/", StringComparison.Ordinal)).SelectMany(BlobNames.IndicesOfBundle).Order();
        Assert.Equal(Enumerable.Range(0, ItemCount), finals);
    }

    [ServiceFact(ServiceVariables.Postgres, ServiceVariables.RabbitMq, ServiceVariables.Blobs)]
    public async Task Should_complete_with_exact_counts_when_the_coordinator_is_killed_mid_job()
    {
        await using var deployment = await Deployment.StartAsync(output, Slow);
        var items = await DistributedJob.UploadAsync(deployment, Images());

        var status = await DistributedJob.RunAsync(deployment, Request(items),
            when: s => s.Completed >= 5,
            disrupt: deployment.RestartCoordinatorAsync);

        Assert.Equal(("Completed", ItemCount, 0, 0), (status.State, status.Completed, status.Failed, status.Cancelled));
        var listed = await deployment.Client.ListAllItemsAsync(status.JobId, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, ItemCount), listed.Where(i => i.State == "Completed").Select(i => i.Index));
    }

    [ServiceFact(ServiceVariables.Postgres, ServiceVariables.RabbitMq, ServiceVariables.Blobs)]
    public async Task Should_complete_when_rabbitmq_restarts_mid_job()
    {
        await using var deployment = await Deployment.StartAsync(output, Slow);
        var items = await DistributedJob.UploadAsync(deployment, Images());

        var status = await DistributedJob.RunAsync(deployment, Request(items),
            when: s => s.Completed >= 3,
            disrupt: () => Deployment.ServicesAsync("pipeline_rabbitmq_stop && pipeline_rabbitmq_start"));

        Assert.Equal(("Completed", ItemCount, 0), (status.State, status.Completed, status.Failed));
    }

    [ServiceFact(ServiceVariables.Postgres, ServiceVariables.RabbitMq, ServiceVariables.Blobs)]
    public async Task Should_complete_when_azurite_stops_for_ten_seconds_mid_job()
    {
        await using var deployment = await Deployment.StartAsync(output, Slow);
        var items = await DistributedJob.UploadAsync(deployment, Images());

        var status = await DistributedJob.RunAsync(deployment, Request(items),
            when: s => s.Completed >= 3,
            disrupt: () => Deployment.ServicesAsync("pipeline_azurite_stop && sleep 10 && pipeline_azurite_start"));

        Assert.Equal(("Completed", ItemCount, 0), (status.State, status.Completed, status.Failed));
    }

    [ServiceFact(ServiceVariables.Postgres, ServiceVariables.RabbitMq, ServiceVariables.Blobs)]
    public async Task Should_fail_the_bad_items_with_reasons_and_complete_the_good_ones()
    {
        await using var deployment = await Deployment.StartAsync(output);
        var good = await DistributedJob.UploadAsync(deployment, Enumerable.Range(0, 4).Select(i => TestImages.Png(i)));
        var bad = await DistributedJob.UploadAsync(deployment, [TestImages.Corrupt(5), TestImages.Png(6, width: 31, height: 31)]);
        List<JobItemSpec> items =
        [
            good[0], bad[0], good[1], bad[1], good[2],
            new(good[0].Source, [new EditSpec("hat", 1)]),
            new(good[0].Source, [new EditSpec("age", double.NaN)]),
            good[3],
        ];

        var status = await DistributedJob.RunAsync(deployment, new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded, MaxInFlight: 4));

        Assert.Equal(("Completed", 4, 4), (status.State, status.Completed, status.Failed));
        var failed = (await deployment.Client.ListAllItemsAsync(status.JobId, CancellationToken.None))
            .Where(i => i.State == "Failed").ToDictionary(i => i.Index, i => i.FailureReason!);
        Assert.Equal([1, 3, 5, 6], failed.Keys.Order());
        Assert.Contains("not a PNG image", failed[1]);
        Assert.Contains("31×31 pixels", failed[3]);
        Assert.Contains("unknown attribute 'hat'", failed[5]);
        Assert.Contains("strength NaN", failed[6]);
    }
}
