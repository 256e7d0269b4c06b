using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.Coordinator.Sagas;
using Pipeline.Hosting.Bus;

namespace Pipeline.Coordinator.Consumers;

public sealed class SubmitJobConsumerDefinition : ConsumerDefinition<SubmitJobConsumer>
{
    private readonly BusOptions _bus;
    private readonly CoordinatorOptions _coordinator;

    public SubmitJobConsumerDefinition(QueueNames queues, IOptions<BusOptions> bus, IOptions<CoordinatorOptions> coordinator)
    {
        _bus = bus.Value;
        _coordinator = coordinator.Value;
        EndpointName = queues.SubmitJob;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<SubmitJobConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        SagaEndpoints.Configure(endpointConfigurator, context, _bus, _coordinator);
}

public sealed class CancelPendingItemsConsumerDefinition : ConsumerDefinition<CancelPendingItemsConsumer>
{
    private readonly BusOptions _bus;
    private readonly CoordinatorOptions _coordinator;

    public CancelPendingItemsConsumerDefinition(QueueNames queues, IOptions<BusOptions> bus, IOptions<CoordinatorOptions> coordinator)
    {
        _bus = bus.Value;
        _coordinator = coordinator.Value;
        EndpointName = queues.CancelPendingItems;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CancelPendingItemsConsumer> consumerConfigurator, IRegistrationContext context) =>
        SagaEndpoints.Configure(endpointConfigurator, context, _bus, _coordinator);
}
