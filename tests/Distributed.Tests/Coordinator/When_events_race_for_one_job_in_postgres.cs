using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator;
using Pipeline.Coordinator.Jobs;
using Pipeline.Coordinator.Sagas;
using Pipeline.Coordinator.StateMachines;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Hosting.Bus;
using Pipeline.Storage;

namespace Pipeline.Distributed.Tests.Coordinator;

/// <summary>The optimistic saga repository against real PostgreSQL (xmin row version): hundreds of item reports for
/// one job, consumed concurrently with in-process partitioning switched off so that saves really collide. Every
/// collision is retried on fresh state; no count is lost and none is doubled.</summary>
[Collection(RealServicesCollection.Name)]
public sealed class When_events_race_for_one_job_in_postgres
{
    private const int Items = 300;

    [ServiceFact(ServiceVariables.Postgres)]
    public async Task Should_lose_no_count_and_double_none()
    {
        await using var database = new TestDatabase();
        var host = await StartCoordinatorAsync(database.ConnectionString);
        try
        {
            await RaceAsync(host.Services);
        }
        finally
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    private static async Task RaceAsync(IServiceProvider services)
    {
        var jobId = NewId.NextGuid();
        var source = new BlobRef("uploads/none.png", new string('0', 64), 1, "image/png");
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<JobSubmission>().SubmitAsync(
                new SubmitJobRequest(Enumerable.Repeat(new JobItemSpec(source), Items).ToList(), [new EditSpec("age", 1)], MaxInFlight: Items, JobId: jobId),
                CancellationToken.None);
        }

        var bus = services.GetRequiredService<IBus>();
        // Each item reported twice, as a redelivery would; failures and completions interleaved.
        var reports = Enumerable.Range(0, Items).SelectMany(index => new[] { index, index }).Select(index => index % 3 == 0
            ? bus.Publish(new ItemFailed(jobId, ItemIds.For(jobId, index), index, Stage.DiffCam, "test"))
            : bus.Publish(new ItemCompleted(jobId, ItemIds.For(jobId, index), index)));
        await Task.WhenAll(reports);

        var status = await WaitFinishedAsync(services, jobId);
        Assert.Equal(("Completed", Items / 3, Items - Items / 3), (status.State, status.Failed, status.Completed));
        Assert.True(services.GetRequiredService<SagaConflictCounter>().Count > 0, "no save collided: the test did not exercise concurrency");
    }

    private static async Task<IHost> StartCoordinatorAsync(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DatabaseOptions:Provider"] = "Postgres",
            ["DatabaseOptions:ConnectionString"] = connectionString,
            ["CoordinatorOptions:PartitionSagaEvents"] = "false",
            ["CoordinatorOptions:SagaConcurrency"] = "8",
            // A starved test machine can make one message lose many races in a row; it must still get through.
            ["CoordinatorOptions:ConflictRetryLimit"] = "1000",
            // Every item in flight at once, so that all reports race; above the default limit on purpose.
            ["CoordinatorOptions:Limits:MaxInFlight"] = Items.ToString(),
            ["BlobStorageOptions:Root"] = Path.Combine(Path.GetTempPath(), "pipeline-race-blobs"),
            ["BusOptions:RedeliveryCount"] = "0",
        });
        builder.Services.AddBlobStore();
        builder.Services.AddCoordinatorServices();
        builder.Services.AddPipelineBus(builder.Configuration, x => x.AddCoordinatorEndpoints());
        // If the test fails, do not wait long for messages still in retry.
        builder.Services.Configure<MassTransitHostOptions>(o => o.StopTimeout = TimeSpan.FromSeconds(10));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<JobStatus> WaitFinishedAsync(IServiceProvider services, Guid jobId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        while (true)
        {
            await using var scope = services.CreateAsyncScope();
            var status = await scope.ServiceProvider.GetRequiredService<JobQueries>().GetStatusAsync(jobId, timeout.Token);
            if (status is { IsFinished: true })
                return status;
            await Task.Delay(50, timeout.Token);
        }
    }
}
