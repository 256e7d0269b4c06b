using System.Net.Sockets;

namespace Pipeline.Cli.Commands.Distributed;

/// <summary>
/// Where the local services listen, read from their connection settings without their secrets, and whether anything
/// answers there: a bench whose services are down then says which one, instead of a coordinator that dies before it
/// is ready and a stack trace.
/// </summary>
public static class ServiceEndpoints
{
    public sealed record Endpoint(string Service, string Host, int Port)
    {
        public override string ToString() => $"{Service} at {Host}:{Port}";
    }

    /// <summary>The three endpoints; a setting whose host cannot be read is left out (the service then reports it).</summary>
    public static IReadOnlyList<Endpoint> Of(LocalServiceSettings.Connections services)
    {
        var endpoints = new List<Endpoint>();
        var postgres = Pairs(services.Postgres);
        if (postgres.TryGetValue("host", out var host))
            endpoints.Add(new("PostgreSQL", host.Split(',')[0], postgres.TryGetValue("port", out var port) && int.TryParse(port, out var p) ? p : 5432));
        if (Uri.TryCreate(services.RabbitMq, UriKind.Absolute, out var amqp) && amqp.Host.Length > 0)
            endpoints.Add(new("RabbitMQ", amqp.Host, amqp.IsDefaultPort || amqp.Port < 0 ? 5672 : amqp.Port));
        var blobs = Pairs(services.Blobs);
        if (blobs.TryGetValue("usedevelopmentstorage", out var dev) && dev.Equals("true", StringComparison.OrdinalIgnoreCase))
            endpoints.Add(new("Azurite", "127.0.0.1", 10000));
        else if (blobs.TryGetValue("blobendpoint", out var blob) && Uri.TryCreate(blob, UriKind.Absolute, out var uri))
            endpoints.Add(new("Azurite", uri.Host, uri.Port));
        return endpoints;
    }

    /// <summary>The endpoints nothing accepts a connection on within <paramref name="timeout"/>.</summary>
    public static async Task<IReadOnlyList<Endpoint>> UnreachableAsync(IEnumerable<Endpoint> endpoints, TimeSpan timeout)
    {
        var probes = endpoints.Select(async e =>
        {
            using var client = new TcpClient();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await client.ConnectAsync(e.Host, e.Port, cancel.Token);
                return null;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                return e;
            }
        });
        return (await Task.WhenAll(probes)).OfType<Endpoint>().ToList();
    }

    static Dictionary<string, string> Pairs(string connectionString) =>
        connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .GroupBy(kv => kv[0].Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.Last()[1]);
}
