using Microsoft.Extensions.Options;
using Pipeline.Hosting.Bus;
using Pipeline.Hosting.Workers;

namespace Pipeline.Workers.Invert;

/// <summary>The invert queue, with the batch size, concurrency and retry of <see cref="WorkerOptions"/> and <see cref="BusOptions"/>.</summary>
public sealed class InvertBatchConsumerDefinition(QueueNames queues, IOptions<WorkerOptions> worker, IOptions<BusOptions> bus)
    : StageConsumerDefinition<InvertBatchConsumer>(queues.Invert, worker.Value, bus.Value);
