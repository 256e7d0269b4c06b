using System.Diagnostics;

namespace Pipeline.Distributed.Tests.Support;

/// <summary>Runs the built <c>pipeline</c> command in the repository root and collects what it printed.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <param name="unset">environment variables the command must not inherit from the test process.</param>
    public static async Task<Result> RunAsync(IReadOnlyList<string> arguments, TimeSpan timeout, IEnumerable<string>? unset = null)
    {
        var start = new ProcessStartInfo("dotnet", [RepositoryPaths.Cli, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var name in unset ?? [])
            start.Environment.Remove(name);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pipeline {string.Join(' ', arguments)} did not finish in {timeout}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
