using Microsoft.Extensions.Logging;
using Pipeline.Hosting.Bus;
using Pipeline.Storage;

namespace Pipeline.Distributed.Tests.Coordinator;

/// <summary>Connection strings and storage URIs are logged masked, and exceptions do not quote their secrets; the broker
/// address parses into its parts.</summary>
public sealed class When_secrets_reach_a_log
{
    [Theory]
    [InlineData("Host=db;Port=5432;Username=pipeline;Password=s3cret;Database=pipeline", "s3cret")]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=dev;AccountKey=Zm9vYmFy==;BlobEndpoint=http://x/dev;", "Zm9vYmFy==")]
    [InlineData("amqp://user:hunter2@rabbit:5672/prod", "hunter2")]
    [InlineData("BlobEndpoint=https://a.blob/;SharedAccessSignature=sv=2020&sig=abc", "sig=abc")]
    public void Should_mask_the_secret_and_keep_the_rest(string connectionString, string secret)
    {
        var masked = Secrets.MaskConnectionString(connectionString);

        Assert.DoesNotContain(secret, masked);
        Assert.Contains("***", masked);
        Assert.Equal(connectionString.Split(['=', ':'])[0], masked.Split(['=', ':'])[0]);
    }

    private const string Signature = "c2VjcmV0LXNpZ25hdHVyZQ%3D%3D";

    private const string SasConnectionString =
        "BlobEndpoint=https://account.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=b&srt=sco&sp=rwdlac&se=2030-01-01T00:00:00Z&sig=" + Signature;

    [Fact]
    public void Should_mask_the_signature_of_a_sas_uri()
    {
        var masked = Secrets.MaskUri(new Uri($"https://account.blob.core.windows.net/pipeline?sv=2022-11-02&sig={Signature}&se=2030"));

        Assert.DoesNotContain(Signature, masked);
        Assert.Contains("sig=***", masked);
        Assert.Contains("account.blob.core.windows.net/pipeline", masked);
    }

    [Fact]
    public void Should_log_the_container_of_a_sas_connection_string_without_its_signature()
    {
        var log = new CapturingLogger();

        BlobStoreRegistration.Create(new BlobStorageOptions { Kind = BlobStoreKind.Azure, ConnectionString = SasConnectionString, Container = "pipeline" }, log);

        Assert.Contains("account.blob.core.windows.net", log.Text);
        Assert.DoesNotContain(Signature, log.Text);
    }

    [Theory]
    [InlineData("BlobEndpoint=not a uri;SharedAccessSignature=sv=2022&sig=" + Signature)]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=" + Signature + ";BlobEndpoint=::bad::")]
    public void Should_not_quote_a_secret_when_the_connection_string_is_refused(string connectionString)
    {
        var refused = Assert.ThrowsAny<Exception>(() =>
            BlobStoreRegistration.Create(new BlobStorageOptions { Kind = BlobStoreKind.Azure, ConnectionString = connectionString }, new CapturingLogger()));

        Assert.DoesNotContain(Signature, refused.ToString());
    }

    [Fact]
    public void Should_parse_every_part_of_a_broker_address()
    {
        var address = RabbitMqAddress.Parse("amqp://pipe:p%40ss@broker.local:5673/jobs");

        Assert.Equal(new RabbitMqAddress("broker.local", 5673, "jobs", "pipe", "p@ss"), address);
        Assert.Equal(new RabbitMqAddress("127.0.0.1", 5672, "/", "guest", "guest"), RabbitMqAddress.Parse("amqp://guest:guest@127.0.0.1:5672/"));
        Assert.Throws<InvalidOperationException>(() => RabbitMqAddress.Parse("http://broker"));
    }

    private sealed class CapturingLogger : ILogger
    {
        private readonly List<string> _lines = [];

        public string Text => string.Join("\n", _lines);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Add(formatter(state, exception) + (exception is null ? "" : " " + exception));
    }
}
