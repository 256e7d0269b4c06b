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
}
