using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Pipeline.Launcher;

/// <summary>One service of the pipeline as a separate OS process (<c>dotnet Service.dll</c>) listening on its own port,
/// its output appended to a log file by the process itself (the launcher reads none of it), with readiness polling,
/// CPU time, an exit watch and a hard kill (SIGKILL, like <c>kill -9</c>).</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private static readonly TimeSpan ReadyPollInterval = TimeSpan.FromMilliseconds(200);
    private readonly Process _process;

    private ServiceProcess(string name, Process process, Uri url, string logPath)
    {
        Name = name;
        _process = process;
        Url = url;
        LogPath = logPath;
    }

    public string Name { get; }

    public Uri Url { get; }

    public string LogPath { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="binary"/> on <c>http://127.0.0.1:<paramref name="port"/></c> with
    /// <paramref name="environment"/> added to this process's environment.</summary>
    public static ServiceProcess Start(string name, string binary, IReadOnlyDictionary<string, string?> environment, int port, string logPath)
    {
        if (!File.Exists(binary))
            throw new FileNotFoundException($"{name}: {binary} is not built (dotnet build Pipeline.sln -c Release)", binary);
        var url = new Uri($"http://127.0.0.1:{port}/");
        // exec: the service replaces the shell, so the process id, its CPU time and a kill are the service's own.
        var start = new ProcessStartInfo("bash", ["-c", "exec dotnet \"$0\" >>\"$1\" 2>&1", binary, logPath]) { UseShellExecute = false };
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        start.Environment["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/');
        start.Environment["DOTNET_gcServer"] = "0";
        return new ServiceProcess(name, Process.Start(start)!, url, logPath);
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200 (bus connected, database reachable, models loaded); fails at
    /// once when the process exits first.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cancel.CancelAfter(timeout);
        try
        {
            while (true)
            {
                if (_process.HasExited)
                    throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready (see {LogPath})");
                try
                {
                    using var response = await Http.GetAsync(new Uri(Url, "health/ready"), cancel.Token);
                    if (response.IsSuccessStatusCode)
                        return;
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
                {
                    // One slow answer; ask again.
                }
                await Task.Delay(ReadyPollInterval, cancel.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Name} not ready after {timeout.TotalSeconds:0} s (see {LogPath})");
        }
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>CPU time the process has used so far.</summary>
    public double CpuSeconds()
    {
        _process.Refresh();
        return _process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>SIGKILL: no shutdown hooks, no acknowledgements, the batch in hand is lost.</summary>
    public async Task KillHardAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillHardAsync();
        _process.Dispose();
    }
}
