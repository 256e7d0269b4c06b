using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Pipeline.Distributed.Tests.Support;

/// <summary>Collects every published <typeparamref name="T"/> on a temporary endpoint of the embedded bus.</summary>
public sealed class EventProbe<T> : IAsyncDisposable where T : class
{
    private readonly HostReceiveEndpointHandle _handle;

    private EventProbe(HostReceiveEndpointHandle handle, ConcurrentQueue<T> seen)
    {
        _handle = handle;
        Seen = seen;
    }

    public ConcurrentQueue<T> Seen { get; }

    public static async Task<EventProbe<T>> ConnectAsync(IServiceProvider services)
    {
        var seen = new ConcurrentQueue<T>();
        var bus = services.GetRequiredService<IBus>();
        var handle = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), KebabCaseEndpointNameFormatter.Instance,
            e => e.Handler<T>(context =>
            {
                seen.Enqueue(context.Message);
                return Task.CompletedTask;
            }));
        await handle.Ready;
        return new EventProbe<T>(handle, seen);
    }

    public async Task<T> WaitForAsync(Func<T, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            if (Seen.FirstOrDefault(match) is { } found)
                return found;
            await Task.Delay(10, cancel.Token);
        }
    }

    public async ValueTask DisposeAsync() => await _handle.StopAsync();
}
