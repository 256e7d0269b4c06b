using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Method;

namespace Pipeline.Workers.Invert;

/// <summary>The Invert stage in a host: its processor's hosting and its batch consumer.</summary>
public sealed class InvertWorker() : StageWorker<IInvertProcessor, InvertBatchConsumer, InvertBatchConsumerDefinition>(Stage.Invert);

public static class InvertProcessorRegistration
{
    /// <summary>The method behind the stage (<see cref="EditingInvertProcessor"/>), with the process's model pack.</summary>
    public static IServiceCollection AddEditingInvertProcessor(this IServiceCollection services) =>
        services.AddModelPack().AddSingleton<IInvertProcessor, EditingInvertProcessor>();
}
