using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Coordinator.Persistence;
using Pipeline.Hosting.Bus;

namespace Pipeline.Coordinator.Sagas;

public sealed class ItemStateDefinition : SagaDefinition<ItemState>
{
    private readonly BusOptions _bus;
    private readonly CoordinatorOptions _coordinator;

    public ItemStateDefinition(QueueNames queues, IOptions<BusOptions> bus, IOptions<CoordinatorOptions> coordinator)
    {
        _bus = bus.Value;
        _coordinator = coordinator.Value;
        EndpointName = queues.ItemSaga;
        ConcurrentMessageLimit = _coordinator.SagaConcurrency;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<ItemState> sagaConfigurator,
        IRegistrationContext context)
    {
        SagaEndpoints.Configure(endpointConfigurator, context, _bus, _coordinator);
        if (!_coordinator.PartitionSagaEvents)
            return;
        var partition = endpointConfigurator.CreatePartitioner(_coordinator.SagaConcurrency);
        sagaConfigurator.Message<StartItem>(x => x.UsePartitioner(partition, m => m.Message.ItemId));
        sagaConfigurator.Message<ItemInverted>(x => x.UsePartitioner(partition, m => m.Message.ItemId));
        sagaConfigurator.Message<ItemDiffCamCompleted>(x => x.UsePartitioner(partition, m => m.Message.ItemId));
        sagaConfigurator.Message<ItemDeghosted>(x => x.UsePartitioner(partition, m => m.Message.ItemId));
        sagaConfigurator.Message<ItemRejected>(x => x.UsePartitioner(partition, m => m.Message.ItemId));
        sagaConfigurator.Message<Fault<InvertItem>>(x => x.UsePartitioner(partition, m => m.Message.Message.ItemId));
        sagaConfigurator.Message<Fault<DiffCamItem>>(x => x.UsePartitioner(partition, m => m.Message.Message.ItemId));
        sagaConfigurator.Message<Fault<DeghostItem>>(x => x.UsePartitioner(partition, m => m.Message.Message.ItemId));
        sagaConfigurator.Message<ItemOverdue>(x => x.UsePartitioner(partition, m => m.Message.ItemId));
    }
}
