using MassTransit;

namespace Pipeline.Hosting.Bus;

/// <summary>Headers on stage commands. A worker checks storage for outputs it may already have written only when the
/// command may have been handled before: the coordinator re-sent it after a crash (<see cref="Resent"/>), the broker
/// redelivered it, or it is a retry. A first delivery skips that check (one storage request per item and stage); a
/// command that was handled before without any of those marks is recomputed, and its identical outputs are not
/// written again.</summary>
public static class StageCommandHeaders
{
    public const string Resent = "Pipeline-Resent";

    public static void MarkResent(SendContext context) => context.Headers.Set(Resent, true);

    public static bool MayHaveBeenHandled(ConsumeContext context) =>
        context.ReceiveContext.Redelivered
        || context.GetRetryAttempt() > 0
        || context.GetRedeliveryCount() > 0
        || context.Headers.Get<bool>(Resent) == true;
}
