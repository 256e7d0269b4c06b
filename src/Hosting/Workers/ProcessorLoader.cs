using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pipeline.Hosting.Workers;

/// <summary>Loads the stage processor once, in the background so that liveness answers while weights load, and stops
/// the process (exit code 1) when loading fails: a worker that cannot load its model should be restarted.</summary>
public sealed class ProcessorLoader<TProcessor>(
    IServiceProvider services,
    ProcessorReadiness<TProcessor> readiness,
    IHostApplicationLifetime lifetime,
    ILogger<ProcessorLoader<TProcessor>> logger) : BackgroundService
    where TProcessor : class, IStageProcessor
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            var processor = services.GetService<TProcessor>() ?? throw new InvalidOperationException(
                $"no {typeof(TProcessor).Name} is registered: the host registers the stage's processor next to the stage");
            logger.LogInformation("Loading {Processor} ({Implementation})", typeof(TProcessor).Name, processor.GetType().Name);
            await processor.LoadAsync(stoppingToken);
            readiness.MarkLoaded();
            logger.LogInformation("{Processor} loaded in {Seconds:F1} s", typeof(TProcessor).Name,
                TimeProvider.System.GetElapsedTime(started).TotalSeconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            readiness.MarkFailed(new OperationCanceledException("the worker stopped before its processor loaded"));
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "{Processor} failed to load; stopping the worker", typeof(TProcessor).Name);
            readiness.MarkFailed(e);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }
}
