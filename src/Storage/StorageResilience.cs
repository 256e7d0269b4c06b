using System.Net.Sockets;
using Azure;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Pipeline.Storage;

/// <summary>The Polly pipeline around every storage call: retry (exponential, jittered) outside a circuit breaker
/// outside a per-attempt timeout. Only transient failures are retried: a missing blob, a hash mismatch or a bad name
/// fail at once.</summary>
public static class StorageResilience
{
    public static ResiliencePipeline Create(BlobStorageOptions options, TimeProvider? timeProvider = null)
    {
        var transient = new PredicateBuilder().Handle<Exception>(IsTransient);
        var builder = new ResiliencePipelineBuilder();
        if (timeProvider is not null)
            builder.TimeProvider = timeProvider;
        return builder
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => IsTransient(e) || e is BrokenCircuitException),
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = options.CircuitFailureRatio,
                MinimumThroughput = options.CircuitMinimumThroughput,
                SamplingDuration = options.CircuitSamplingDuration,
                BreakDuration = options.CircuitBreakDuration,
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    /// <summary>Failures worth another try: the service is unreachable, overloaded or slow.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        TimeoutRejectedException or HttpRequestException or SocketException => true,
        AggregateException a => a.InnerExceptions.All(IsTransient),
        BlobNotFoundException or BlobIntegrityException or FileNotFoundException or DirectoryNotFoundException => false,
        IOException => true,
        _ => false,
    };
}
