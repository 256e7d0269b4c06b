using Azure;
using Pipeline.Contracts;
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

    private static readonly BlobStorageOptions Fast = new() { RetryBaseDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(5) };

    [Fact]
    public async Task Should_retry_a_cancellation_the_caller_did_not_ask_for()
    {
        var pipeline = StorageResilience.Create(Fast);
        var attempts = 0;

        // What the Azure SDK throws when its own network timeout fires: a TaskCanceledException on a token not the caller's.
        var result = await pipeline.ExecuteAsync(_ =>
        {
            if (++attempts < 3)
                throw new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout", new TimeoutException());
            return ValueTask.FromResult(42);
        }, CancellationToken.None);

        Assert.Equal((42, 3), (result, attempts));
    }

    [Fact]
    public async Task Should_not_retry_when_the_caller_cancels()
    {
        var pipeline = StorageResilience.Create(Fast);
        using var caller = new CancellationTokenSource();
        var attempts = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pipeline.ExecuteAsync<int>(token =>
        {
            attempts++;
            caller.Cancel();
            token.ThrowIfCancellationRequested();
            return ValueTask.FromResult(0);
        }, caller.Token));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Should_retry_a_download_that_fails_half_way_and_return_every_byte()
    {
        var content = new byte[10_000];
        new Random(5).NextBytes(content);
        var flaky = new FlakyRanges(content, failAtOffset: 4096, failures: 2);
        var store = new ResilientBlobStore(flaky, StorageResilience.Create(Fast));

        await using var stream = await store.TryOpenReadAsync("jobs/x/outputs.bundle", CancellationToken.None, chunkBytes: 4096);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);

        Assert.Equal(content, copy.ToArray());
        Assert.Equal(2, flaky.Failed);
        Assert.Null(await store.TryOpenReadAsync("jobs/x/missing.bundle", CancellationToken.None));
    }

    [Fact]
    public void Should_leave_retries_and_the_attempt_timeout_to_polly()
    {
        var options = new BlobStorageOptions { AttemptTimeout = TimeSpan.FromSeconds(7) };

        var client = StorageResilience.AzureClientOptions(options);

        Assert.Equal(0, client.Retry.MaxRetries);
        Assert.True(client.Retry.NetworkTimeout > options.AttemptTimeout,
            $"the SDK's network timeout ({client.Retry.NetworkTimeout}) races Polly's attempt timeout ({options.AttemptTimeout})");
    }

    /// <summary>Serves one blob by ranges; the range starting at <c>failAtOffset</c> fails the first <c>failures</c>
    /// times, as a connection dropped in the middle of a download does.</summary>
    private sealed class FlakyRanges(byte[] content, long failAtOffset, int failures) : IBlobStore
    {
        public int Failed { get; private set; }

        public Task<byte[]> ReadRangeAsync(string name, long offset, long length, CancellationToken cancellationToken)
        {
            if (!name.EndsWith("outputs.bundle", StringComparison.Ordinal))
                throw new BlobNotFoundException(name);
            if (offset == failAtOffset && Failed < failures)
            {
                Failed++;
                throw new IOException("Unable to read data from the transport connection: Connection reset by peer.");
            }
            var available = (int)Math.Clamp(content.Length - offset, 0, length);
            return Task.FromResult(content.AsSpan((int)offset, available).ToArray());
        }

        public Task<BlobPutResult> PutAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<BlobPutResult> PutIfAbsentAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<byte[]> GetAsync(BlobRef blob, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<BlobRef?> TryGetRefAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
