using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Hosting.Telemetry;

namespace Pipeline.Hosting.Workers;

/// <summary>Loads the stage processor once, in the background so that liveness answers while weights load. Files that
/// are not there (<see cref="MissingProcessorFilesException"/>) keep the worker up and not ready: readiness and one log
/// line name them, and the loader looks again every <see cref="WorkerOptions.LoadRetryInterval"/> (a restart would not
/// bring them, and a crash-looping worker returns its prefetched messages with their delivery counts raised). Any other
/// load failure stops the process (exit code 1): a worker whose model does not load should be restarted.</summary>
public sealed class ProcessorLoader<TProcessor>(
    IServiceProvider services,
    ProcessorReadiness<TProcessor> readiness,
    IOptions<WorkerOptions> options,
    IHostApplicationLifetime lifetime,
    PipelineMetrics metrics,
    ILogger<ProcessorLoader<TProcessor>> logger) : BackgroundService
    where TProcessor : class, IStageProcessor
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var started = TimeProvider.System.GetTimestamp();
        var attempt = started;
        string? reported = null;
        try
        {
            var processor = services.GetService<TProcessor>() ?? throw new InvalidOperationException(
                $"no {typeof(TProcessor).Name} is registered: the host registers the stage's processor next to the stage");
            logger.LogInformation("Loading {Processor} ({Implementation})", typeof(TProcessor).Name, processor.GetType().Name);
            while (true)
            {
                try
                {
                    readiness.MarkWaiting(null);
                    attempt = TimeProvider.System.GetTimestamp();
                    await processor.LoadAsync(stoppingToken);
                    break;
                }
                catch (MissingProcessorFilesException e)
                {
                    readiness.MarkWaiting(e.Message);
                    if (e.Message != reported)
                        logger.LogError("{Processor} cannot load: {Reason}; the worker stays up, not ready, and looks again every {Interval}",
                            typeof(TProcessor).Name, e.Message, options.Value.LoadRetryInterval);
                    reported = e.Message;
                    await Task.Delay(options.Value.LoadRetryInterval, stoppingToken);
                }
            }
            readiness.MarkLoaded();
            // The metric is the load itself, without the time spent waiting for missing files.
            metrics.ModelLoaded(typeof(TProcessor).Name, TimeProvider.System.GetElapsedTime(attempt).TotalSeconds);
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
