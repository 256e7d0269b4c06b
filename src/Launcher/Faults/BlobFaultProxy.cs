using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Pipeline.Storage;

namespace Pipeline.Launcher.Faults;

/// <summary>An HTTP reverse proxy in front of the blob service (Azurite), in this process: the services get its address
/// as their blob endpoint. It records every blob write (<see cref="Writes"/>) and, while a storm is on, answers a seeded
/// share of requests with 503 or delays them (<see cref="StormSettings"/>). Shared-key signatures do not cover the host
/// and port, so requests pass through unchanged.</summary>
public sealed class BlobFaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Expect", "Upgrade", "Proxy-Connection", "Content-Length",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _forward = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
    private readonly Uri _target;
    private readonly object _gate = new();
    private StormSettings? _storm;
    private Random _random = new(0);
    private long _failedBefore, _failedAfter, _delayed, _requests;

    private BlobFaultProxy(Uri target, int port)
    {
        _target = target;
        Port = port;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = null;
        });
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    public int Port { get; }

    public BlobWrites Writes { get; } = new();

    public StormCounters Counters => new(Interlocked.Read(ref _requests), Interlocked.Read(ref _failedBefore),
        Interlocked.Read(ref _failedAfter), Interlocked.Read(ref _delayed));

    /// <summary>Starts a proxy for the store that <paramref name="connectionString"/> names (it must give a
    /// <c>BlobEndpoint</c>); <see cref="ConnectionString"/> is the same string pointing at the proxy.</summary>
    public static async Task<BlobFaultProxy> StartAsync(string connectionString)
    {
        var endpoint = BlobEndpoint(connectionString);
        var proxy = new BlobFaultProxy(new Uri(endpoint.GetLeftPart(UriPartial.Authority)), ServiceProcess.FreePort());
        await proxy._app.StartAsync();
        proxy.ConnectionString = connectionString.Replace(endpoint.GetLeftPart(UriPartial.Authority), $"http://127.0.0.1:{proxy.Port}", StringComparison.Ordinal);
        return proxy;
    }

    public string ConnectionString { get; private set; } = "";

    public void StartStorm(StormSettings storm)
    {
        lock (_gate)
        {
            _random = new Random(storm.Seed);
            _storm = storm;
        }
    }

    public void StopStorm()
    {
        lock (_gate)
            _storm = null;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _forward.Dispose();
    }

    private static Uri BlobEndpoint(string connectionString)
    {
        var builder = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return builder.TryGetValue("BlobEndpoint", out var value) && Uri.TryCreate(value as string, UriKind.Absolute, out var uri)
            ? uri
            : throw new ArgumentException("the blob connection string gives no BlobEndpoint (the fault proxy needs one to forward to)");
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var (failBefore, failAfter, delay) = Draw();
        if (failBefore)
        {
            Interlocked.Increment(ref _failedBefore);
            await ServerBusyAsync(context);
            return;
        }
        if (delay > TimeSpan.Zero)
        {
            Interlocked.Increment(ref _delayed);
            await Task.Delay(delay, context.RequestAborted);
        }
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method),
            new Uri(_target, context.Request.Path.Value + context.Request.QueryString.Value));
        if (body.Length > 0 || context.Request.ContentLength is not null)
            request.Content = new ByteArrayContent(body.ToArray());
        foreach (var (key, values) in context.Request.Headers)
        {
            if (HopHeaders.Contains(key))
                continue;
            if (!request.Headers.TryAddWithoutValidation(key, (IEnumerable<string?>)values))
                request.Content?.Headers.TryAddWithoutValidation(key, (IEnumerable<string?>)values);
        }
        using var response = await _forward.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        if (IsBlobWrite(context.Request) && response.StatusCode == HttpStatusCode.Created)
            Writes.Add(BlobName(context.Request.Path.Value!), Sha256Hex.Of(body.GetBuffer().AsSpan(0, (int)body.Length)));
        if (failAfter)
        {
            Interlocked.Increment(ref _failedAfter);
            await ServerBusyAsync(context);
            return;
        }
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (key, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopHeaders.Contains(key) || key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                context.Response.Headers[key] = values.ToArray();
        }
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private (bool FailBefore, bool FailAfter, TimeSpan Delay) Draw()
    {
        lock (_gate)
        {
            if (_storm is not { } storm)
                return (false, false, TimeSpan.Zero);
            var draw = _random.NextDouble();
            if (draw < storm.FailBefore)
                return (true, false, TimeSpan.Zero);
            if (draw < storm.FailBefore + storm.FailAfter)
                return (false, true, TimeSpan.Zero);
            if (draw < storm.FailBefore + storm.FailAfter + storm.Slow)
                return (false, false, TimeSpan.FromSeconds(storm.MinDelaySeconds + (storm.MaxDelaySeconds - storm.MinDelaySeconds) * _random.NextDouble()));
            return (false, false, TimeSpan.Zero);
        }
    }

    /// <summary>Put Blob: a PUT on a blob's path with no <c>comp</c> (blocks, metadata) or <c>restype</c> (container).</summary>
    private static bool IsBlobWrite(HttpRequest request) =>
        HttpMethods.IsPut(request.Method) && !request.Query.ContainsKey("comp") && !request.Query.ContainsKey("restype");

    /// <summary>The blob's name inside its container: the path after <c>/account/container/</c>.</summary>
    private static string BlobName(string path)
    {
        var segments = path.TrimStart('/').Split('/', 3);
        return segments.Length == 3 ? Uri.UnescapeDataString(segments[2]) : path;
    }

    private static async Task ServerBusyAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code><Message>injected storage fault</Message></Error>");
    }
}

/// <summary>Requests the proxy saw, and what the storm did to them.</summary>
public sealed record StormCounters(long Requests, long FailedBeforeForwarding, long FailedAfterForwarding, long Delayed);
