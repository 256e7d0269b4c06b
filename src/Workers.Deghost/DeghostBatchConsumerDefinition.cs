using Microsoft.Extensions.Options;
using Pipeline.Hosting.Bus;
using Pipeline.Hosting.Workers;

namespace Pipeline.Workers.Deghost;

/// <summary>The deghost queue, with the batch size, concurrency and retry of <see cref="WorkerOptions"/> and <see cref="BusOptions"/>.</summary>
public sealed class DeghostBatchConsumerDefinition(QueueNames queues, IOptions<WorkerOptions> worker, IOptions<BusOptions> bus)
    : StageConsumerDefinition<DeghostBatchConsumer>(queues.Deghost, worker.Value, bus.Value);
