using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Hosting.Health;

namespace Pipeline.Hosting.Workers;

/// <summary>How one stage plugs into a host: the hosting of its processor (readiness, loader, health check) and its
/// batch consumer with its definition. Each worker project describes its own stage with one of these; a worker process
/// hosts one, the embedded pipeline all three. The processor itself is registered by the host (the method, or a test
/// stand-in).</summary>
public abstract class StageWorker(Stage stage)
{
    public Stage Stage => stage;

    public abstract void AddProcessorHosting(IServiceCollection services);

    public abstract void AddConsumer(IBusRegistrationConfigurator bus);
}

/// <summary>A stage whose processor is <typeparamref name="TProcessor"/> and whose batch consumer is
/// <typeparamref name="TConsumer"/>, configured by <typeparamref name="TDefinition"/>.</summary>
public abstract class StageWorker<TProcessor, TConsumer, TDefinition>(Stage stage) : StageWorker(stage)
    where TProcessor : class, IStageProcessor
    where TConsumer : class, IConsumer
    where TDefinition : class, IConsumerDefinition<TConsumer>
{
    public override void AddProcessorHosting(IServiceCollection services)
    {
        services.AddSingleton<ProcessorReadiness<TProcessor>>();
        services.AddHostedService<ProcessorLoader<TProcessor>>();
        services.AddHealthChecks().AddCheck<ProcessorHealthCheck<TProcessor>>($"{Stage.ToString().ToLowerInvariant()}-processor",
            tags: [HealthEndpoints.ReadyTag]);
    }

    public override void AddConsumer(IBusRegistrationConfigurator bus) => bus.AddConsumer<TConsumer, TDefinition>();
}
