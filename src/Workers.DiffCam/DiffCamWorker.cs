using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Method;

namespace Pipeline.Workers.DiffCam;

/// <summary>The DiffCam stage in a host: its processor's hosting and its batch consumer.</summary>
public sealed class DiffCamWorker() : StageWorker<IDiffCamProcessor, DiffCamBatchConsumer, DiffCamBatchConsumerDefinition>(Stage.DiffCam);

public static class DiffCamProcessorRegistration
{
    /// <summary>The method behind the stage (<see cref="EditingDiffCamProcessor"/>), with the process's model pack.</summary>
    public static IServiceCollection AddEditingDiffCamProcessor(this IServiceCollection services) =>
        services.AddModelPack().AddSingleton<IDiffCamProcessor, EditingDiffCamProcessor>();
}
