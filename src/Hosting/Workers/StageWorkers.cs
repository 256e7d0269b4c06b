using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Hosting.Bus;
using Pipeline.Hosting.Health;
using Pipeline.Storage;
using Pipeline.Workers;

namespace Pipeline.Hosting.Workers;

/// <summary>Registration of stage workers: one stage per worker process, or all three in the embedded host.</summary>
public static class StageWorkers
{
    /// <summary>Everything a stage worker process needs except its processor: service defaults, blob store, bus with the
    /// stage's batch consumer, model loading and readiness, and a shutdown that waits for the batch in hand.</summary>
    public static WebApplicationBuilder AddStageWorker(this WebApplicationBuilder builder, Stage stage)
    {
        builder.AddServiceDefaults();
        builder.Services.AddBlobStore();
        builder.Services.AddStageWorkerServices(stage);
        builder.Services.AddPipelineBus(builder.Configuration, x => x.AddStageConsumer(stage));
        var shutdown = builder.Configuration.GetSection(nameof(WorkerOptions)).Get<WorkerOptions>()?.ShutdownTimeout
                       ?? new WorkerOptions().ShutdownTimeout;
        builder.Services.Configure<MassTransitHostOptions>(o => o.StopTimeout = shutdown);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdown + TimeSpan.FromSeconds(5));
        return builder;
    }

    /// <summary>Options, readiness, loader and health check of one stage (its consumer is added to the bus separately).</summary>
    public static IServiceCollection AddStageWorkerServices(this IServiceCollection services, Stage stage)
    {
        services.AddOptions<WorkerOptions>().BindConfiguration(nameof(WorkerOptions));
        return stage switch
        {
            Stage.Invert => services.AddStageProcessorHosting<IInvertProcessor>(stage),
            Stage.DiffCam => services.AddStageProcessorHosting<IDiffCamProcessor>(stage),
            Stage.Deghost => services.AddStageProcessorHosting<IDeghostProcessor>(stage),
            _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "unknown stage"),
        };
    }

    public static void AddStageConsumer(this IBusRegistrationConfigurator x, Stage stage)
    {
        switch (stage)
        {
            case Stage.Invert:
                x.AddConsumer<InvertBatchConsumer, InvertBatchConsumerDefinition>();
                break;
            case Stage.DiffCam:
                x.AddConsumer<ComposeBatchConsumer, ComposeBatchConsumerDefinition>();
                break;
            case Stage.Deghost:
                x.AddConsumer<DeghostBatchConsumer, DeghostBatchConsumerDefinition>();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(stage), stage, "unknown stage");
        }
    }

    /// <summary>The seam for the method: registers the invert stage implementation (one instance, loaded once).</summary>
    public static IServiceCollection AddInvertProcessor<T>(this IServiceCollection services) where T : class, IInvertProcessor =>
        services.AddSingleton<IInvertProcessor, T>();

    /// <summary>The seam for the method: registers the DiffCam stage implementation (one instance, loaded once).</summary>
    public static IServiceCollection AddDiffCamProcessor<T>(this IServiceCollection services) where T : class, IDiffCamProcessor =>
        services.AddSingleton<IDiffCamProcessor, T>();

    /// <summary>The seam for the method: registers the deghost stage implementation (one instance, loaded once).</summary>
    public static IServiceCollection AddDeghostProcessor<T>(this IServiceCollection services) where T : class, IDeghostProcessor =>
        services.AddSingleton<IDeghostProcessor, T>();

    private static IServiceCollection AddStageProcessorHosting<TProcessor>(this IServiceCollection services, Stage stage)
        where TProcessor : class, IStageProcessor
    {
        services.AddSingleton<ProcessorReadiness<TProcessor>>();
        services.AddHostedService<ProcessorLoader<TProcessor>>();
        services.AddHealthChecks().AddCheck<ProcessorHealthCheck<TProcessor>>($"{stage.ToString().ToLowerInvariant()}-processor",
            tags: [HealthEndpoints.ReadyTag]);
        return services;
    }
}
