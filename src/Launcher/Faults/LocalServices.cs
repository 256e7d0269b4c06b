using System.Diagnostics;
using Pipeline.Hosting;

namespace Pipeline.Launcher.Faults;

/// <summary>The functions of <c>deploy/local/services.sh</c> (e.g. <c>pipeline_postgres_stop</c>), run through bash: the
/// one place that knows how PostgreSQL, RabbitMQ and Azurite are started, stopped and inspected on this machine.</summary>
public static class LocalServices
{
    public static string Script => Path.Combine(RepositoryRoot.Find(), "deploy", "local", "services.sh");

    /// <summary>Runs <paramref name="commands"/> after sourcing the script; returns standard output, throws with both
    /// outputs when the commands fail.</summary>
    public static async Task<string> RunAsync(string commands, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo("bash", ["-c", $"source \"$0\" && {commands}", Script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"`{commands}` failed ({process.ExitCode}): {await output} {await error}");
        return await output;
    }

    /// <summary>The running services by name (<c>postgres</c>, <c>rabbitmq</c>, <c>azurite</c>) with the process each
    /// one's other processes descend from (<c>pipeline_services_pids</c>); a service that is not running is absent.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> PidsAsync(CancellationToken cancellationToken = default)
    {
        var pids = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in (await RunAsync("pipeline_services_pids", cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            if (fields.Length == 2 && int.TryParse(fields[1], out var pid))
                pids[fields[0]] = pid;
        }
        return pids;
    }

    /// <summary>Messages ready in each RabbitMQ queue whose name starts with <paramref name="prefix"/>
    /// (<c>rabbitmqctl list_queues</c>: the management plugin is not enabled).</summary>
    public static async Task<IReadOnlyDictionary<string, long>> QueueDepthsAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var depths = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in (await RunAsync("pipeline_rabbitmq_queues", cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t');
            if (fields.Length == 2 && fields[0].StartsWith(prefix, StringComparison.Ordinal) && long.TryParse(fields[1], out var messages))
                depths[fields[0]] = messages;
        }
        return depths;
    }
}
