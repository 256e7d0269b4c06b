using Microsoft.Extensions.Options;

namespace Pipeline.Hosting.Bus;

/// <summary>Queue names of the pipeline (prefixed by <see cref="BusOptions.Prefix"/>). The worker queues are the ones
/// KEDA scales on.</summary>
public sealed class QueueNames(IOptions<BusOptions> options)
{
    private readonly string _prefix = options.Value.Prefix;

    public string Invert => _prefix + "invert";
    public string DiffCam => _prefix + "diffcam";
    public string Deghost => _prefix + "deghost";
    public string JobSaga => _prefix + "job-saga";
    public string ItemSaga => _prefix + "item-saga";
    public string SubmitJob => _prefix + "submit-job";
    public string CancelPendingItems => _prefix + "cancel-pending-items";

    public static Uri Address(string queue) => new($"queue:{queue}");
}
