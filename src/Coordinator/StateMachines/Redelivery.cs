using MassTransit;

namespace Pipeline.Coordinator.StateMachines;

/// <summary>Tells a plain duplicate from a message processed before whose follow-up sends may have been lost.
/// The sagas save state first and send afterwards (in-memory outbox); if the process dies, or the send fails, in
/// between, the same message comes back (broker redelivery, delayed redelivery or an in-process retry) and finds its
/// own effect already saved. Only then are the follow-up commands sent again: re-sending on every duplicate would
/// multiply work.</summary>
public static class Redelivery
{
    public static bool MayHaveLostSends(ConsumeContext context) =>
        context.ReceiveContext.Redelivered || context.GetRedeliveryCount() > 0 || context.GetRetryAttempt() > 0;
}
