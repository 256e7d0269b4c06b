using Pipeline.Distributed.Tests.Support;
using Pipeline.Storage;

namespace Pipeline.Distributed.Tests.Storage;

/// <summary>Put-if-absent on the local folder rests on a rename that refuses a taken name; of several writers released
/// at once, exactly one may store its bytes, every time.</summary>
public sealed class When_writers_race_for_one_name : IDisposable
{
    private const int Rounds = 400;
    private const int Writers = 4;
    private readonly TempDirectory _folder = new("pipeline-race");

    [Fact]
    public void Should_let_exactly_one_rename_win_each_race()
    {
        var doubleWins = 0;
        var wrongBytes = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var destination = Path.Combine(_folder.Path, $"blob{round}");
            var sources = Enumerable.Range(0, Writers).Select(w => Path.Combine(_folder.Path, $"blob{round}.{w}.tmp")).ToArray();
            for (var w = 0; w < Writers; w++)
                File.WriteAllBytes(sources[w], [(byte)w]);
            using var start = new Barrier(Writers);
            var won = new bool[Writers];
            Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, w =>
            {
                start.SignalAndWait();
                won[w] = NoReplaceRename.TryMove(sources[w], destination);
            });

            if (won.Count(w => w) != 1)
                doubleWins++;
            else if (File.ReadAllBytes(destination)[0] != Array.IndexOf(won, true))
                wrongBytes++;
            // A loser keeps its source, so the caller decides what to do with it.
            Assert.All(Enumerable.Range(0, Writers).Where(w => !won[w]), w => Assert.True(File.Exists(sources[w])));
        }

        Assert.Equal((0, 0), (doubleWins, wrongBytes));
    }

    [Fact]
    public void Should_move_when_the_name_is_free_and_leave_an_existing_file_alone()
    {
        var source = Path.Combine(_folder.Path, "a.tmp");
        var destination = Path.Combine(_folder.Path, "a");
        File.WriteAllBytes(source, [1]);
        var moved = NoReplaceRename.TryMove(source, destination);
        File.WriteAllBytes(source, [2]);
        var again = NoReplaceRename.TryMove(source, destination);

        Assert.Equal((true, false), (moved, again));
        Assert.Equal(new byte[] { 1 }, File.ReadAllBytes(destination));
    }

    [Fact]
    public void Should_name_both_paths_when_the_source_is_missing()
    {
        var error = Assert.ThrowsAny<IOException>(() =>
            NoReplaceRename.TryMove(Path.Combine(_folder.Path, "missing.tmp"), Path.Combine(_folder.Path, "b")));

        Assert.Contains("missing.tmp", error.Message);
    }

    public void Dispose() => _folder.Dispose();
}
