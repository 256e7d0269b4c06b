using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Hosting.Bus;
using Pipeline.Hosting.Telemetry;
using Pipeline.Storage;

namespace Pipeline.Hosting.Workers;

/// <summary>Registration of stage workers: one stage per worker process, or all three in the embedded host.</summary>
public static class StageWorkers
{
    /// <summary>Everything a stage worker process needs except its processor: service defaults, blob store, bus with the
    /// stage's batch consumer, processor readiness, and a shutdown that waits for the batch in hand.</summary>
    public static WebApplicationBuilder AddStageWorker(this WebApplicationBuilder builder, StageWorker worker)
    {
        builder.AddServiceDefaults();
        builder.Services.AddBlobStore();
        builder.Services.AddStageServices(worker);
        builder.Services.AddPipelineBus(builder.Configuration, x => worker.AddConsumer(x));
        var shutdown = builder.Configuration.GetSection(nameof(WorkerOptions)).Get<WorkerOptions>()?.ShutdownTimeout
                       ?? new WorkerOptions().ShutdownTimeout;
        builder.Services.Configure<MassTransitHostOptions>(o => o.StopTimeout = shutdown);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdown + TimeSpan.FromSeconds(5));
        return builder;
    }

    /// <summary>The worker options and the stage's processor hosting (its consumer is added to the bus separately).</summary>
    public static IServiceCollection AddStageServices(this IServiceCollection services, StageWorker worker)
    {
        services.AddOptions<WorkerOptions>().BindConfiguration(nameof(WorkerOptions));
        services.AddPipelineMetrics();
        worker.AddProcessorHosting(services);
        return services;
    }
}
