using Pipeline.Distributed.Tests.Support;
using Pipeline.Launcher;
using Pipeline.Launcher.Faults;

namespace Pipeline.Distributed.Tests.Services;

/// <summary>`bench pipeline` reports the CPU the local services spend per distributed item, from the processes
/// <c>pipeline_services_pids</c> names.</summary>
[Collection(RealServicesCollection.Name)]
public sealed class When_the_local_services_are_inspected
{
    [ServiceFact(ServiceVariables.Postgres, ServiceVariables.RabbitMq, ServiceVariables.Blobs)]
    public async Task Should_name_each_running_service_with_a_process_that_has_used_cpu()
    {
        var pids = await LocalServices.PidsAsync();

        Assert.Equal(["azurite", "postgres", "rabbitmq"], pids.Keys);
        Assert.All(pids, service => Assert.True(ProcessTreeCpu.Seconds(service.Value) > 0,
            $"{service.Key} (pid {service.Value}) shows no CPU time at all"));
    }
}
