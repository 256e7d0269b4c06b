using Pipeline.Hosting;
using Pipeline.Hosting.Bus;

namespace Pipeline.Distributed.Tests.Coordinator;

/// <summary>Connection strings are logged masked; the broker address parses into its parts.</summary>
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

    [Fact]
    public void Should_parse_every_part_of_a_broker_address()
    {
        var address = RabbitMqAddress.Parse("amqp://pipe:p%40ss@broker.local:5673/jobs");

        Assert.Equal(new RabbitMqAddress("broker.local", 5673, "jobs", "pipe", "p@ss"), address);
        Assert.Equal(new RabbitMqAddress("127.0.0.1", 5672, "/", "guest", "guest"), RabbitMqAddress.Parse("amqp://guest:guest@127.0.0.1:5672/"));
        Assert.Throws<InvalidOperationException>(() => RabbitMqAddress.Parse("http://broker"));
    }
}
