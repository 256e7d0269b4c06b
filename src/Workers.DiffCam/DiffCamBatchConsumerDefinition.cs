using Microsoft.Extensions.Options;
using Pipeline.Hosting.Bus;
using Pipeline.Hosting.Workers;

namespace Pipeline.Workers.DiffCam;

/// <summary>The diffcam queue, with the batch size, concurrency and retry of <see cref="WorkerOptions"/> and <see cref="BusOptions"/>.</summary>
public sealed class DiffCamBatchConsumerDefinition(QueueNames queues, IOptions<WorkerOptions> worker, IOptions<BusOptions> bus)
    : StageConsumerDefinition<DiffCamBatchConsumer>(queues.DiffCam, worker.Value, bus.Value);
