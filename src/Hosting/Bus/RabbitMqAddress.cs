namespace Pipeline.Hosting.Bus;

/// <summary>The parts of <c>amqp://user:password@host:port/vhost</c>.</summary>
public sealed record RabbitMqAddress(string Host, ushort Port, string VirtualHost, string Username, string Password)
{
    private const ushort DefaultPort = 5672;

    public static RabbitMqAddress Parse(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri) || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("amqp" or "rabbitmq"))
            throw new InvalidOperationException("BusOptions:RabbitMqUri must be an amqp://user:password@host:port/vhost address");
        var credentials = parsed.UserInfo.Split(':', 2);
        var virtualHost = Uri.UnescapeDataString(parsed.AbsolutePath.Trim('/'));
        return new RabbitMqAddress(
            parsed.Host,
            parsed.IsDefaultPort || parsed.Port < 0 ? DefaultPort : (ushort)parsed.Port,
            virtualHost.Length == 0 ? "/" : virtualHost,
            credentials.Length > 0 && credentials[0].Length > 0 ? Uri.UnescapeDataString(credentials[0]) : "guest",
            credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "guest");
    }
}
