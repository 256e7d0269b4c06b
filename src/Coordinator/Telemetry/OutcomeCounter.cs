using MassTransit;
using Pipeline.Contracts;
using Pipeline.Hosting.Telemetry;

namespace Pipeline.Coordinator.Telemetry;

/// <summary>Counts items and jobs as the coordinator announces their end. The sagas publish through the in-memory
/// outbox, so an announcement leaves only once its state is saved: a transition retried after a lost concurrency race
/// counts once. A report sent again to recover a lost one counts again.</summary>
public sealed class OutcomeCounter(PipelineMetrics metrics) : IPublishObserver
{
    public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context) where T : class
    {
        switch (context.Message)
        {
            case ItemCompleted:
                metrics.ItemFinished(ItemOutcomes.Completed);
                break;
            case ItemFailed failed:
                metrics.ItemFinished(ItemOutcomes.Failed, failed.Stage);
                break;
            case JobCompleted job:
                metrics.JobFinished(job.WasCancelled ? ItemOutcomes.Cancelled : ItemOutcomes.Completed);
                break;
        }
        return Task.CompletedTask;
    }

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
