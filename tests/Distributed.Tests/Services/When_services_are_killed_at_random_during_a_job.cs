using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator.Client;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Launcher;
using Pipeline.Launcher.Faults;
using Xunit.Abstractions;

namespace Pipeline.Distributed.Tests.Services;

/// <summary>The fault suite of <c>pipeline bench faults</c>, small and seeded: two coordinator processes on one
/// database and queue prefix, the three test workers, SIGKILLs of randomly chosen processes while the job runs, and a
/// storage storm through the blob proxy. PostgreSQL and RabbitMQ outages stay in the bench: they stop the services the
/// whole machine shares.</summary>
[Collection(RealServicesCollection.Name)]
public sealed class When_services_are_killed_at_random_during_a_job(ITestOutputHelper output)
{
    private const int ItemCount = 40;

    private static readonly FaultSettings Faults = new(ItemCount, Kills: 4, Seed: 11, PostgresOutage: TimeSpan.Zero, RestartRabbitMq: false,
        Storm: TimeSpan.FromSeconds(8), Deadline: TimeSpan.FromMinutes(3), QuietLimit: TimeSpan.FromSeconds(60));

    [ServiceFact(ServiceVariables.Postgres, ServiceVariables.RabbitMq, ServiceVariables.Blobs)]
    public async Task Should_end_every_item_once_with_outputs_that_match_their_hashes()
    {
        await using var deployment = Deployment.Prepare(output, new Dictionary<string, string> { ["TestProcessorOptions__DelayPerItem"] = "00:00:00.100" });
        var setup = new FaultRunSetup(Faults, blobs => Services(deployment, blobs), Deployment.ApiKey,
            deployment.Common["BlobStorageOptions__ConnectionString"]!, deployment.Common["BlobStorageOptions__Container"]!,
            deployment.Common["BusOptions__Prefix"]!, Job, deployment.Folder.Path, () => "n/a", output.WriteLine)
        {
            ReadyTimeout = Deployment.StartTimeout,
        };

        var report = await FaultRun.RunAsync(setup, CancellationToken.None);

        output.WriteLine(report.ToTable());
        Assert.Equal(Faults.Kills + 1, report.Applied.Count);
        Assert.Equal(ItemCount, report.Completed);
        // Every stage's outputs went through the proxy: a bundle holds at most one batch (4 items) of one stage.
        Assert.True(report.BundlesWritten >= 3 * ItemCount / 4, $"the proxy saw {report.BundlesWritten} bundle writes");
        Assert.All(report.Requirements, r => Assert.True(r.Passed, $"{r.Name}: {r.Measured}"));
    }

    private static List<ServiceSpec> Services(Deployment deployment, string blobs)
    {
        var coordinator = deployment.CoordinatorEnvironment();
        coordinator["BlobStorageOptions__ConnectionString"] = blobs;
        var specs = new List<ServiceSpec>
        {
            new("coordinator-1", ServiceBinaries.Coordinator, coordinator),
            new("coordinator-2", ServiceBinaries.Coordinator, coordinator),
        };
        foreach (var stage in Enum.GetValues<Stage>())
        {
            var name = stage.ToString().ToLowerInvariant();
            var worker = deployment.WorkerEnvironment(stage, name);
            worker["BlobStorageOptions__ConnectionString"] = blobs;
            specs.Add(new ServiceSpec(name, deployment.WorkerBinary(stage), worker));
        }
        return specs;
    }

    private static async Task<SubmitJobRequest> Job(CoordinatorClient client, CancellationToken cancellationToken)
    {
        var items = new List<JobItemSpec>();
        for (var i = 0; i < ItemCount; i++)
            items.Add(new JobItemSpec(await client.UploadAsync(TestImages.Png(2000 + i), "image/png", cancellationToken)));
        return new SubmitJobRequest(items, Jobs.TwoEdits, Jobs.Seeded, MaxInFlight: 8);
    }
}
