using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Hosting.Workers;

namespace Pipeline.Processing;

/// <summary>Registers the Editing-backed stage processors: one stage in a worker process, all three in the embedded
/// pipeline (they then share one loaded model pack).</summary>
public static class ProcessingRegistration
{
    public static IServiceCollection AddEditingProcessors(this IServiceCollection services, params Stage[] stages)
    {
        if (stages.Length == 0)
            throw new ArgumentException("name at least one stage", nameof(stages));
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.Section);
        services.AddSingleton<LoadedModels>();
        foreach (var stage in stages.Distinct())
        {
            _ = stage switch
            {
                Stage.Invert => services.AddInvertProcessor<EditingInvertProcessor>(),
                Stage.DiffCam => services.AddDiffCamProcessor<EditingDiffCamProcessor>(),
                Stage.Deghost => services.AddDeghostProcessor<EditingDeghostProcessor>(),
                _ => throw new ArgumentOutOfRangeException(nameof(stages), stage, "unknown stage"),
            };
        }
        return services;
    }
}
