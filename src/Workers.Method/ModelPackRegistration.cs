using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Editing.Runtime;

namespace Pipeline.Workers.Method;

/// <summary>Registers the model pack of a process once, however many stage processors use it (one in a worker, three in
/// the embedded pipeline: they then share one loaded pack).</summary>
public static class ModelPackRegistration
{
    public static IServiceCollection AddModelPack(this IServiceCollection services)
    {
        // A worker runs the networks batch after batch for days: its resident memory must not creep (see NativeHeap).
        NativeHeap.ReuseFreedMemory();
        Nnpack.TurnOff();   // one log line per small convolution otherwise, on CPUs NNPACK refuses
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.Section);
        services.TryAddSingleton<LoadedModels>();
        return services;
    }
}
