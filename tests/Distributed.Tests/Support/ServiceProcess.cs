using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Pipeline.Distributed.Tests.Support;

/// <summary>One service of a test deployment as a separate OS process (<c>dotnet Service.dll</c>), its output in a log
/// file, with readiness polling and a hard kill (SIGKILL, like <c>kill -9</c>).</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServiceProcess(string name, Process process, StreamWriter log, Uri url)
    {
        Name = name;
        _process = process;
        _log = log;
        Url = url;
    }

    public string Name { get; }

    public Uri Url { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static ServiceProcess Start(string name, string binary, IReadOnlyDictionary<string, string> environment, int port, string logPath)
    {
        if (!File.Exists(binary))
            throw new FileNotFoundException($"{name}: {binary} is not built", binary);
        var url = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet", [binary])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        start.Environment["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/');
        start.Environment["DOTNET_gcServer"] = "0";
        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(name, process, log, url);
        process.OutputDataReceived += (_, e) => service.Write(e.Data);
        process.ErrorDataReceived += (_, e) => service.Write(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready");
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
            await Task.Delay(200, cancel.Token);
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no acknowledgements, the batch in hand is lost.</summary>
    public async Task KillHardAsync()
    {
        if (_process.HasExited)
            return;
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillHardAsync();
        // The parameterless wait also drains the redirected output, so no line arrives after the log is closed.
        _process.WaitForExit();
        _process.Dispose();
        lock (_log)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    private bool _closed;

    private void Write(string? line)
    {
        if (line is null)
            return;
        lock (_log)
        {
            if (!_closed)
                _log.WriteLine(line);
        }
    }
}
