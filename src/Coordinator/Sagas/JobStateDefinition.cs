using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Coordinator.Persistence;
using Pipeline.Hosting.Bus;

namespace Pipeline.Coordinator.Sagas;

public sealed class JobStateDefinition : SagaDefinition<JobState>
{
    private readonly BusOptions _bus;
    private readonly CoordinatorOptions _coordinator;

    public JobStateDefinition(QueueNames queues, IOptions<BusOptions> bus, IOptions<CoordinatorOptions> coordinator)
    {
        _bus = bus.Value;
        _coordinator = coordinator.Value;
        EndpointName = queues.JobSaga;
        ConcurrentMessageLimit = _coordinator.SagaConcurrency;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<JobState> sagaConfigurator,
        IRegistrationContext context)
    {
        SagaEndpoints.Configure(endpointConfigurator, context, _bus, _coordinator);
        if (!_coordinator.PartitionSagaEvents)
            return;
        var partition = endpointConfigurator.CreatePartitioner(_coordinator.SagaConcurrency);
        sagaConfigurator.Message<JobAccepted>(x => x.UsePartitioner(partition, m => m.Message.JobId));
        sagaConfigurator.Message<ItemCompleted>(x => x.UsePartitioner(partition, m => m.Message.JobId));
        sagaConfigurator.Message<ItemFailed>(x => x.UsePartitioner(partition, m => m.Message.JobId));
        sagaConfigurator.Message<CancelJob>(x => x.UsePartitioner(partition, m => m.Message.JobId));
    }
}
