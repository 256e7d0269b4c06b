using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Hosting.Bus;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Pipeline.Distributed.Tests.Services;

/// <summary>Tests and benchmarks start their processes under a fresh queue prefix each time; with
/// <see cref="BusOptions.UnusedQueueExpiry"/> the broker deletes their queues once nothing consumes them any more, and
/// without it (a deployment) it keeps them.</summary>
[Collection(RealServicesCollection.Name)]
public sealed class When_a_short_lived_deployment_leaves_the_broker
{
    [ServiceFact(ServiceVariables.RabbitMq)]
    public async Task Should_have_its_queues_deleted_once_unused_only_when_it_asks_for_it()
    {
        var expiring = await StartAndStopAsync(TimeSpan.FromSeconds(1));
        var kept = await StartAndStopAsync(expiry: null);

        var expiringGone = await WaitUntilGoneAsync(expiring, TimeSpan.FromSeconds(30));
        var keptAfterwards = await ExistsAsync(kept);
        await DeleteAsync(kept);

        Assert.True(expiringGone, $"{expiring} was still on the broker 30 s after its consumer stopped");
        Assert.True(keptAfterwards, $"{kept} was deleted although its deployment did not ask for it");
    }

    /// <summary>Starts a bus with one consumer on the broker, checks its queue was declared, stops it; returns the queue.</summary>
    private static async Task<string> StartAndStopAsync(TimeSpan? expiry)
    {
        var prefix = $"t{Guid.NewGuid():N}"[..11] + "-";
        var queue = prefix + "probe";
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BusOptions:Transport"] = nameof(TransportKind.RabbitMq),
            ["BusOptions:RabbitMqUri"] = ServiceEnvironment.Require(ServiceVariables.RabbitMq),
            ["BusOptions:Prefix"] = prefix,
            ["BusOptions:UnusedQueueExpiry"] = expiry?.ToString(),
        });
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o => o.WaitUntilStarted = true);
        builder.Services.AddPipelineBus(builder.Configuration, x => x.AddConsumer<ProbeConsumer>().Endpoint(e => e.Name = queue));
        using var host = builder.Build();
        await host.StartAsync();
        Assert.True(await ExistsAsync(queue), $"the bus did not declare {queue}");
        await host.StopAsync();
        return queue;
    }

    private static async Task<bool> WaitUntilGoneAsync(string queue, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (!await ExistsAsync(queue))
                return true;
            await Task.Delay(250);
        }
        return false;
    }

    private static async Task<bool> ExistsAsync(string queue)
    {
        await using var connection = await Connect();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await channel.QueueDeclarePassiveAsync(queue);
            return true;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }

    private static async Task DeleteAsync(string queue)
    {
        await using var connection = await Connect();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue);
    }

    private static Task<IConnection> Connect() =>
        new ConnectionFactory { Uri = new Uri(ServiceEnvironment.Require(ServiceVariables.RabbitMq)) }.CreateConnectionAsync();

    public sealed record Probe(int Value);

    private sealed class ProbeConsumer : IConsumer<Probe>
    {
        public Task Consume(ConsumeContext<Probe> context) => Task.CompletedTask;
    }
}
