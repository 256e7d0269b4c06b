using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Method;

namespace Pipeline.Workers.Deghost;

/// <summary>The Deghost stage in a host: its processor's hosting and its batch consumer.</summary>
public sealed class DeghostWorker() : StageWorker<IDeghostProcessor, DeghostBatchConsumer, DeghostBatchConsumerDefinition>(Stage.Deghost);

public static class DeghostProcessorRegistration
{
    /// <summary>The method behind the stage (<see cref="EditingDeghostProcessor"/>), with the process's model pack.</summary>
    public static IServiceCollection AddEditingDeghostProcessor(this IServiceCollection services) =>
        services.AddModelPack().AddSingleton<IDeghostProcessor, EditingDeghostProcessor>();
}
