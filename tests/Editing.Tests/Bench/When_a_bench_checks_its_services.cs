using System.Net;
using System.Net.Sockets;
using Pipeline.Cli.Commands.Distributed;

namespace Pipeline.Editing.Tests.Bench;

/// <summary>The distributed benches check that their services answer before starting any process, and name the ones
/// that do not by host and port only (their connection settings carry passwords).</summary>
public class When_a_bench_checks_its_services
{
    static readonly LocalServiceSettings.Connections Settings = new(
        "Host=127.0.0.1;Port=55432;Username=pipeline;Password=secret-pg;Database=pipeline",
        "amqp://guest:secret-mq@127.0.0.1:5673/",
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=secret-key;BlobEndpoint=http://127.0.0.1:10001/devstoreaccount1;");

    [Fact]
    public void Should_read_each_services_host_and_port_and_nothing_secret()
    {
        var endpoints = ServiceEndpoints.Of(Settings);

        Assert.Equal(new[] { "PostgreSQL at 127.0.0.1:55432", "RabbitMQ at 127.0.0.1:5673", "Azurite at 127.0.0.1:10001" },
            endpoints.Select(e => e.ToString()));
        Assert.DoesNotContain(endpoints, e => e.ToString().Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_take_the_default_ports_where_the_settings_name_none()
    {
        var endpoints = ServiceEndpoints.Of(new("Host=db.local;Database=x", "amqp://mq.local/", "UseDevelopmentStorage=true"));

        Assert.Equal(new[] { "PostgreSQL at db.local:5432", "RabbitMQ at mq.local:5672", "Azurite at 127.0.0.1:10000" },
            endpoints.Select(e => e.ToString()));
    }

    [Fact]
    public async Task Should_report_a_port_with_no_listener_and_pass_one_with_a_listener()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int open = ((IPEndPoint)listener.LocalEndpoint).Port;
        int closed;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closed = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var down = await ServiceEndpoints.UnreachableAsync(
            [new("listening", "127.0.0.1", open), new("stopped", "127.0.0.1", closed)], TimeSpan.FromSeconds(3));

        Assert.Equal(new[] { "stopped" }, down.Select(e => e.Service));
    }
}
