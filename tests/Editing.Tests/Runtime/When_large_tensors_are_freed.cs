using Pipeline.Editing.Bench;
using Pipeline.Editing.Runtime;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Runtime;

public class When_large_tensors_are_freed
{
    // Sizes of the 1024² activation maps: above NativeHeap's threshold, below the 32 MB cap of glibc's moving one.
    const int BlockMegabytes = 24;
    const int Blocks = 16;
    const int Rounds = 4;
    const long SlackBytes = 64L << 20;

    [Fact]
    public void Should_give_the_memory_back_to_the_system_round_after_round()
    {
        Assert.True(NativeHeap.ReturnLargeBlocksToSystem(), "glibc's mallopt should accept the thresholds on Linux");
        long floats = (BlockMegabytes << 20) / sizeof(float);
        RunRound(0, floats);                                      // libtorch's own lazy start-up is not under test
        long before = ProcessMemory.ResidentBytes();
        for (int round = 1; round <= Rounds; round++)
            RunRound(round, floats);
        long after = ProcessMemory.ResidentBytes();
        Assert.True(after - before < SlackBytes,
            $"resident memory should return to where it was after the blocks are freed: {before >> 20} MB before, {after >> 20} MB after");
    }

    static void RunRound(int round, long floats)
    {
        using var scope = NewDisposeScope();
        long before = ProcessMemory.ResidentBytes();
        {
            // Odd sizes per round, as the activations of different layers are: a heap that keeps them fragments.
            var blocks = Enumerable.Range(0, Blocks).Select(i => ones(floats + 1024 * ((i + round) % 7))).ToList();
            Assert.All(blocks, b => Assert.Equal(b.numel(), (long)b.sum(type: ScalarType.Float64).item<double>()));
            long held = ProcessMemory.ResidentBytes();
            Assert.True(held - before > Blocks * (BlockMegabytes << 20) / 2, $"the blocks should be resident while alive ({held - before} bytes)");
            foreach (var b in blocks) b.Dispose();
        }
    }
}
