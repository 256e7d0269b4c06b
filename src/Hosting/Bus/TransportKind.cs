namespace Pipeline.Hosting.Bus;

public enum TransportKind
{
    /// <summary>MassTransit's in-memory transport: every service in one process (embedded mode, tests).</summary>
    InMemory,
    RabbitMq,
}
