using Pipeline.Cli.Commands;
using Pipeline.Editing.Bench;
using Pipeline.Editing.Method;
using Pipeline.Editing.Tests.Method;

namespace Pipeline.Editing.Tests.Bench;

public class When_sweeping_the_batch_size : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("sweep-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Should_return_one_timed_row_per_stage_and_batch()
    {
        TinyModelPack.Create(_dir);
        using var models = EditModels.Load(_dir);
        int[] batches = [1, 2, 3];
        var rows = BatchSweep.Run("tiny", models, new BatchSweepOptions { Batches = batches, Runs = 2, Warmup = 0 });

        var expected = BatchSweep.StageNames.SelectMany(s => batches.Select(b => (s, b))).ToList();
        Assert.Equal(expected, rows.Select(r => (r.Stage, r.Batch)).ToList());
        Assert.All(rows, r =>
        {
            Assert.False(r.Skipped, r.SkipReason);
            Assert.True(r.MedianMs > 0 && r.MinMs > 0 && r.MinMs <= r.MedianMs, $"{r.Stage} batch {r.Batch}: {r.MinMs} / {r.MedianMs} ms");
            Assert.Equal(r.Batch * 1000.0 / r.MedianMs, r.ImagesPerSecond, 9);
            Assert.True(r.PeakRssBytes > 0);
            Assert.True(r.CpuMsPerImage > 0, $"{r.Stage} batch {r.Batch}: no CPU time");
        });
        var table = BenchBatchCommand.Table(rows, 2, new BatchSweepOptions());
        Assert.Equal(rows.Count, table.Split('\n').Count(l => l.StartsWith("| tiny |", StringComparison.Ordinal)));
    }

    [Fact]
    public void Should_skip_points_over_the_memory_limit_and_say_why()
    {
        TinyModelPack.Create(_dir);
        using var models = EditModels.Load(_dir);
        // Any process is above 1 MB resident, so every point is refused before it runs.
        var rows = BatchSweep.Run("tiny", models, new BatchSweepOptions { Batches = [1, 2], Stages = [BatchSweep.Deghost], Runs = 1, MaxMemoryBytes = 1 << 20 });

        Assert.Equal(2, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.True(r.Skipped);
            Assert.Contains("limit", r.SkipReason);
            Assert.Equal(0, r.Runs);
        });
    }

    [Fact]
    public void Should_refuse_an_unknown_stage()
    {
        TinyModelPack.Create(_dir);
        using var models = EditModels.Load(_dir);
        var e = Assert.Throws<ArgumentException>(() => BatchSweep.Run("tiny", models, new BatchSweepOptions { Stages = ["compose"] }));
        Assert.Contains("compose", e.Message);
    }
}
