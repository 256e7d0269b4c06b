namespace Pipeline.Hosting.Bus;

/// <summary>Message bus settings, bound from the <c>BusOptions</c> configuration section.</summary>
public sealed class BusOptions
{
    public TransportKind Transport { get; set; } = TransportKind.InMemory;

    /// <summary>amqp://user:password@host:port/vhost (a secret: logged masked).</summary>
    public string? RabbitMqUri { get; set; }

    /// <summary>Prefix of every queue and exchange, so several deployments (or test runs) can share one broker.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Immediate retries of a failed consume, exponential with jitter between the two intervals.</summary>
    public int RetryLimit { get; set; } = 5;

    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Second-level retries: once immediate retries are spent the message goes back to the queue after
    /// <see cref="RedeliveryInterval"/>, then twice that, and so on, <see cref="RedeliveryCount"/> times (0: straight to
    /// the error queue). Needs a delayed-message scheduler: always there in memory; on RabbitMQ only with the
    /// rabbitmq_delayed_message_exchange plugin, hence <see cref="RabbitMqDelayedExchange"/>.</summary>
    public int RedeliveryCount { get; set; } = 2;

    public TimeSpan RedeliveryInterval { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan[] RedeliveryIntervals() =>
        Enumerable.Range(0, RedeliveryCount).Select(k => RedeliveryInterval * (1 << k)).ToArray();

    public bool RabbitMqDelayedExchange { get; set; }

    public ushort PrefetchCount { get; set; } = 32;

    /// <summary>Declare the service queues as RabbitMQ quorum queues: replicated over the cluster's nodes, and they count
    /// deliveries (<c>x-delivery-count</c>), which is what lets a worker recognise a message that stopped it before.
    /// An existing classic queue of the same name cannot change type: delete it, or start under a new
    /// <see cref="Prefix"/>.</summary>
    public bool QuorumQueues { get; set; } = true;

    /// <summary>An item whose stage command stopped its worker this many times while it ran on its own (a native
    /// crash, out of memory, a kill) fails with a reason instead of being run again; see
    /// <see cref="Workers.PoisonMessages"/>.</summary>
    public int PoisonRuns { get; set; } = 3;

    /// <summary>The broker's limit on deliveries of one message (<c>x-delivery-limit</c>): a backstop above
    /// <see cref="PoisonRuns"/>, since a crash also returns the messages a worker had prefetched but not started. A
    /// message the broker drops leaves its item without progress, which the coordinator's stage deadline re-sends and,
    /// in the end, fails.</summary>
    public int DeliveryLimit { get; set; } = 20;

    /// <summary>When set, RabbitMQ deletes each of this deployment's queues (with its error queue) once it has had no
    /// consumer for this long (<c>x-expires</c>). For short-lived deployments under a fresh <see cref="Prefix"/>
    /// (tests, benchmarks): a broker that keeps every run's idle quorum queues spends CPU on them all (measured:
    /// 1,288 left-over quorum queues kept the local broker at 6 % of a core with no client connected, against
    /// 0.3 % once they were gone). Unset in deployments, whose queues must outlive any outage of their consumers.</summary>
    public TimeSpan? UnusedQueueExpiry { get; set; }
}
