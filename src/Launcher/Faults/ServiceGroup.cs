namespace Pipeline.Launcher.Faults;

/// <summary>A service of the pipeline by name, with what starting it takes.</summary>
public sealed record ServiceSpec(string Name, string Binary, IReadOnlyDictionary<string, string?> Environment);

/// <summary>The pipeline's processes by name, each on a fixed port across restarts (clients keep their address), its
/// log under <c>name-N.log</c> per start. A kill waits for the previous restart of the same service to finish.</summary>
public sealed class ServiceGroup(IReadOnlyList<ServiceSpec> specs, string logFolder, TimeSpan readyTimeout) : IAsyncDisposable
{
    private readonly Dictionary<string, ServiceSpec> _specs = specs.ToDictionary(s => s.Name);
    private readonly Dictionary<string, int> _ports = specs.ToDictionary(s => s.Name, _ => ServiceProcess.FreePort());
    private readonly Dictionary<string, int> _starts = [];
    private readonly Dictionary<string, SemaphoreSlim> _locks = specs.ToDictionary(s => s.Name, _ => new SemaphoreSlim(1, 1));
    private readonly Dictionary<string, ServiceProcess> _running = [];
    private readonly CancellationTokenSource _stopping = new();

    public Uri Url(string name) => new($"http://127.0.0.1:{_ports[name]}/");

    public IEnumerable<ServiceProcess> Running
    {
        get
        {
            lock (_running)
                return _running.Values.ToList();
        }
    }

    /// <summary>Starts <paramref name="first"/> alone (it migrates the database), then the others.</summary>
    public async Task StartAllAsync(string first, CancellationToken cancellationToken)
    {
        await Start(first).WaitReadyAsync(readyTimeout, cancellationToken);
        await Task.WhenAll(_specs.Keys.Where(n => n != first).ToList().Select(Start)
            .Select(p => p.WaitReadyAsync(readyTimeout, cancellationToken)));
    }

    /// <summary>SIGKILL, then after <paramref name="delay"/> a fresh process, started again until one is ready (a
    /// coordinator started while PostgreSQL is down exits).</summary>
    public async Task KillAndRestartAsync(string name, TimeSpan delay)
    {
        await _locks[name].WaitAsync(_stopping.Token);
        try
        {
            ServiceProcess victim;
            lock (_running)
                victim = _running[name];
            await victim.DisposeAsync();
            await Task.Delay(delay, _stopping.Token);
            while (true)
            {
                var process = Start(name);
                try
                {
                    await process.WaitReadyAsync(readyTimeout, _stopping.Token);
                    return;
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException)
                {
                    await process.DisposeAsync();
                    await Task.Delay(TimeSpan.FromSeconds(2), _stopping.Token);
                }
            }
        }
        finally
        {
            _locks[name].Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var process in Running)
            await process.DisposeAsync();
        _stopping.Dispose();
    }

    private ServiceProcess Start(string name)
    {
        var spec = _specs[name];
        ServiceProcess process;
        lock (_running)
        {
            var start = _starts[name] = _starts.GetValueOrDefault(name) + 1;
            process = ServiceProcess.Start(name, spec.Binary, spec.Environment, _ports[name], Path.Combine(logFolder, $"{name}-{start}.log"));
            _running[name] = process;
        }
        return process;
    }
}
