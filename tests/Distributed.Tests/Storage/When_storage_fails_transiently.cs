using Azure;
using Pipeline.Storage;

namespace Pipeline.Distributed.Tests.Storage;

/// <summary>Which storage failures the Polly pipeline retries, and that it does retry them.</summary>
public sealed class When_storage_fails_transiently
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(503, true)]
    [InlineData(429, true)]
    [InlineData(404, false)]
    [InlineData(403, false)]
    public void Should_retry_only_service_side_and_network_failures(int status, bool transient)
    {
        Assert.Equal(transient, StorageResilience.IsTransient(new RequestFailedException(status, "test")));
    }

    [Fact]
    public void Should_never_retry_a_missing_blob_or_a_hash_mismatch()
    {
        Assert.False(StorageResilience.IsTransient(new BlobNotFoundException("x")));
        Assert.False(StorageResilience.IsTransient(new BlobIntegrityException("x", "a", "b")));
    }

    [Fact]
    public async Task Should_succeed_after_a_few_transient_failures()
    {
        var options = new BlobStorageOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(5) };
        var pipeline = StorageResilience.Create(options);
        var attempts = 0;

        var result = await pipeline.ExecuteAsync(_ =>
        {
            if (++attempts < 4)
                throw new RequestFailedException(503, "busy");
            return ValueTask.FromResult(42);
        }, CancellationToken.None);

        Assert.Equal((42, 4), (result, attempts));
    }

    [Fact]
    public async Task Should_give_up_at_once_on_a_permanent_failure()
    {
        var pipeline = StorageResilience.Create(new BlobStorageOptions());
        var attempts = 0;

        await Assert.ThrowsAsync<RequestFailedException>(async () => await pipeline.ExecuteAsync<int>(_ =>
        {
            attempts++;
            throw new RequestFailedException(403, "denied");
        }, CancellationToken.None));

        Assert.Equal(1, attempts);
    }
}
