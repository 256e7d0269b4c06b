using System.Net.Sockets;
using Azure;
using Azure.Storage.Blobs;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Pipeline.Storage;

/// <summary>The Polly pipeline around every storage call: retry (exponential, jittered) outside a circuit breaker
/// outside a per-attempt timeout. Only transient failures are retried: a missing blob, a hash mismatch or a bad name
/// fail at once, and so does a call its caller cancelled.</summary>
public static class StorageResilience
{
    public static ResiliencePipeline Create(BlobStorageOptions options, TimeProvider? timeProvider = null)
    {
        var builder = new ResiliencePipelineBuilder();
        if (timeProvider is not null)
            builder.TimeProvider = timeProvider;
        return builder
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e
                    && (IsTransient(e, args.Context.CancellationToken) || e is BrokenCircuitException)),
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e, args.Context.CancellationToken)),
                FailureRatio = options.CircuitFailureRatio,
                MinimumThroughput = options.CircuitMinimumThroughput,
                SamplingDuration = options.CircuitSamplingDuration,
                BreakDuration = options.CircuitBreakDuration,
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    /// <summary>Failures worth another try: the service is unreachable, overloaded or slow. A cancellation is one only
    /// when the caller did not ask for it (<paramref name="caller"/> not cancelled): the Azure SDK reports its own
    /// network timeout as a <see cref="TaskCanceledException"/>.</summary>
    public static bool IsTransient(Exception e, CancellationToken caller) => e switch
    {
        OperationCanceledException => !caller.IsCancellationRequested,
        AggregateException a => a.InnerExceptions.All(inner => IsTransient(inner, caller)),
        _ => IsTransient(e),
    };

    /// <summary>The failures that are transient whoever asked (no cancellation among them: see the overload).</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        TimeoutRejectedException or HttpRequestException or SocketException => true,
        AggregateException a => a.InnerExceptions.All(IsTransient),
        BlobNotFoundException or BlobIntegrityException or FileNotFoundException or DirectoryNotFoundException => false,
        IOException => true,
        _ => false,
    };

    /// <summary>Azure SDK client options under this pipeline. Polly owns retries, so the SDK makes none (its retries
    /// underneath would multiply the attempts). Polly's per-attempt timeout is the one that limits a call: it covers the
    /// whole call (a create-only upload and the look-up after it, or a download and its hash), and what it throws is
    /// retried. The SDK's network timeout, which limits a single request or stream read, is kept longer than that, as a
    /// backstop only: equal, the two would race, and which error a slow request produced would depend on the winner.</summary>
    public static BlobClientOptions AzureClientOptions(BlobStorageOptions options)
    {
        var client = new BlobClientOptions();
        client.Retry.MaxRetries = 0;
        client.Retry.NetworkTimeout = options.AttemptTimeout + NetworkTimeoutMargin;
        return client;
    }

    /// <summary>How much longer than Polly's attempt timeout the SDK's network timeout is.</summary>
    public static readonly TimeSpan NetworkTimeoutMargin = TimeSpan.FromSeconds(15);
}
