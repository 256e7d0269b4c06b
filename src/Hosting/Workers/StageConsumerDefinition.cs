using MassTransit;
using Pipeline.Hosting.Bus;

namespace Pipeline.Hosting.Workers;

/// <summary>Endpoint, batching and retry of a stage consumer. The batch is retried as a whole (consumer-level retry);
/// redelivery and the error queue act per message.</summary>
public abstract class StageConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    private readonly WorkerOptions _worker;
    private readonly BusOptions _bus;

    protected StageConsumerDefinition(string queue, WorkerOptions worker, BusOptions bus)
    {
        _worker = worker;
        _bus = bus;
        EndpointName = queue;
        // Every message of the largest batches in hand must be deliverable at once, or batches never fill.
        ConcurrentMessageLimit = worker.MaxBatchSize * worker.ConcurrentBatches;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        var limit = _worker.MaxBatchSize * _worker.ConcurrentBatches;
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
            rabbit.PrefetchCount = (ushort)Math.Max(limit * 2, rabbit.PrefetchCount);
        consumerConfigurator.Options<BatchOptions>(o => o
            .SetMessageLimit(_worker.MaxBatchSize)
            .SetTimeLimit(_worker.MaxBatchWait)
            .SetConcurrencyLimit(_worker.ConcurrentBatches));
        consumerConfigurator.UseMessageRetry(r => r.Exponential(_bus.RetryLimit, _bus.RetryMinInterval, _bus.RetryMaxInterval, _bus.RetryMinInterval));
    }
}
