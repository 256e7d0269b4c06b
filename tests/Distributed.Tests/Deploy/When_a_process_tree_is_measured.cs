using System.Diagnostics;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Launcher;

namespace Pipeline.Distributed.Tests.Deploy;

/// <summary>The CPU time `bench pipeline` reports for a local service is that of its whole process tree: a PostgreSQL
/// backend or RabbitMQ's port program is a child of the process the service's pid file names, and a backend that served its
/// connection and ended leaves its time in its parent's <c>cutime</c>.</summary>
public sealed class When_a_process_tree_is_measured
{
    // About a second of one core in bash arithmetic: far above the 10 ms resolution of /proc's times.
    private const string Burn = "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done";

    [Fact]
    public async Task Should_count_the_time_of_ended_and_of_running_descendants()
    {
        if (!OperatingSystem.IsLinux())
            return;
        using var folder = new TempDirectory("pipeline-process-tree");
        var reaped = Path.Combine(folder.Path, "reaped");
        var live = Path.Combine(folder.Path, "live");
        // The root burns nothing itself: one child burns and ends (reaped by the root), then a grandchild burns and stays.
        var script = $"({Burn}) & wait; touch '{reaped}'; bash -c '{Burn}; touch {live}; sleep 30' & wait";
        using var root = Process.Start(new ProcessStartInfo("bash", ["-c", script]))!;
        try
        {
            await WaitForAsync(reaped);
            var afterReaped = ProcessTreeCpu.Seconds(root.Id);
            await WaitForAsync(live);
            var afterLive = ProcessTreeCpu.Seconds(root.Id);
            var rootAlone = root.TotalProcessorTime.TotalSeconds;

            Assert.True(rootAlone < 0.1, $"the root itself used {rootAlone:0.00} s: the test's premise is broken");
            Assert.NotNull(afterReaped);
            Assert.True(afterReaped > 0.2, $"the ended child's time was not counted: {afterReaped:0.00} s");
            Assert.True(afterLive - afterReaped > 0.2, $"the running grandchild's time was not counted: {afterReaped:0.00} → {afterLive:0.00} s");
        }
        finally
        {
            root.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void Should_answer_null_for_a_process_that_does_not_exist()
    {
        using var ended = Process.Start(new ProcessStartInfo("true"))!;
        ended.WaitForExit();

        Assert.Null(ProcessTreeCpu.Seconds(ended.Id));
    }

    private static async Task WaitForAsync(string marker)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!File.Exists(marker))
            await Task.Delay(20, timeout.Token);
    }
}
