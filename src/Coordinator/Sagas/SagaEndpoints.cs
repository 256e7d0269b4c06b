using MassTransit;
using Microsoft.EntityFrameworkCore;
using Pipeline.Hosting.Bus;

namespace Pipeline.Coordinator.Sagas;

/// <summary>Middleware every coordinator endpoint shares, outermost first: retry for any failure (database or broker
/// unreachable; long enough to ride out a restart, see <see cref="CoordinatorOptions.OutageRetryLimit"/>), retry for a lost optimistic-concurrency race (quick, jittered, many times: the next attempt loads
/// the winner's state), and the in-memory outbox, so messages a saga sends leave only after its state is saved.</summary>
public static class SagaEndpoints
{
    private static readonly TimeSpan ConflictMinInterval = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan ConflictMaxInterval = TimeSpan.FromMilliseconds(500);

    public static void Configure(IReceiveEndpointConfigurator endpoint, IRegistrationContext context, BusOptions bus, CoordinatorOptions coordinator)
    {
        endpoint.UseMessageRetry(r => r.Exponential(coordinator.OutageRetryLimit, bus.RetryMinInterval,
            Max(coordinator.OutageRetryMaxInterval, bus.RetryMinInterval), bus.RetryMinInterval));
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<DbUpdateConcurrencyException>();
            r.Exponential(coordinator.ConflictRetryLimit, ConflictMinInterval, ConflictMaxInterval, ConflictMinInterval);
        });
        endpoint.UseInMemoryOutbox(context);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
