using Pipeline.Distributed.Tests.Support;
using Xunit;

namespace Pipeline.Distributed.Tests.Deploy;

/// <summary>
/// The benches that start a deployment on this machine's services need PIPELINE_POSTGRES, PIPELINE_RABBITMQ and
/// PIPELINE_BLOBS. Started without them, each must end with one line that names the missing variables and the command
/// that starts the services, and a non-zero exit: not a stack trace, and before any model is loaded or process started.
/// </summary>
public sealed class When_a_bench_runs_without_the_local_services
{
    static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData("pipeline", "--items", "1", "--rounds", "1")]
    [InlineData("faults", "--items", "1")]
    public async Task Should_say_in_one_line_how_to_start_them(params string[] bench)
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["bench", .. bench], CommandTimeout,
            unset: ["PIPELINE_POSTGRES", "PIPELINE_RABBITMQ", "PIPELINE_BLOBS"]);

        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout.Trim());
        var line = Assert.Single(lines);
        Assert.StartsWith($"bench {bench[0]}:", line, StringComparison.Ordinal);
        Assert.Contains("PIPELINE_POSTGRES, PIPELINE_RABBITMQ, PIPELINE_BLOBS not set", line, StringComparison.Ordinal);
        Assert.Contains("pipeline_services_start", line, StringComparison.Ordinal);
    }
}
