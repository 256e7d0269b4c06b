using Microsoft.Extensions.Options;

namespace Pipeline.Hosting.Bus;

/// <summary>Queue names of the pipeline (prefixed by <see cref="BusOptions.Prefix"/>). The worker queues are the ones
/// KEDA scales on.</summary>
public sealed class QueueNames(IOptions<BusOptions> options)
{
    private readonly string _prefix = options.Value.Prefix;

    // A send to a queue: address declares the queue first, as a classic queue, and RabbitMQ refuses a declaration
    // whose type differs from the queue's. With quorum queues, commands go to the exchange of the same name, which the
    // receive endpoint declares and binds to its queue. (A command sent before its worker ever started has no queue to
    // land in; the coordinator's stage deadline sends it again.)
    private readonly string _scheme = options.Value is { Transport: TransportKind.RabbitMq, QuorumQueues: true } ? "exchange" : "queue";

    public string Invert => _prefix + "invert";
    public string DiffCam => _prefix + "diffcam";
    public string Deghost => _prefix + "deghost";
    public string JobSaga => _prefix + "job-saga";
    public string ItemSaga => _prefix + "item-saga";
    public string SubmitJob => _prefix + "submit-job";
    public string CancelPendingItems => _prefix + "cancel-pending-items";

    public Uri AddressOf(string queue) => new($"{_scheme}:{queue}");
}
