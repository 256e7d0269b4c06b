using Pipeline.Editing.Bench;
using Pipeline.Editing.Runtime;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Runtime;

/// <summary>The native heap as every process that runs the networks sets it (<see cref="NativeHeap"/>): inside a stage a
/// freed activation buffer is reused without the kernel (no page faults), and at the stage's end its memory goes back.</summary>
public class When_large_tensors_are_freed
{
    // Sizes of the 1024² activation maps (16–512 MB at the official size), odd per round as different layers' are.
    const int BlockMegabytes = 24;
    // The encoders' maps (the RRDB trunk's 64×128² is 4 MB): the blocks a stage allocates and frees by the thousand.
    const int HeapBlockMegabytes = 4;
    const int Blocks = 16;
    const int Rounds = 4;
    const int ReuseRounds = 3;
    const long SlackBytes = 64L << 20;
    const long PageBytes = 4096;

    [Fact]
    public void Should_give_the_memory_back_to_the_system_when_a_stage_ends()
    {
        Assert.True(NativeHeap.ReuseFreedMemory(), "glibc's mallopt should accept the settings on Linux");
        long floats = (BlockMegabytes << 20) / sizeof(float);
        NativeHeap.ReleasingAfter(() => RunRound(0, floats, fresh: true));   // libtorch's own lazy start-up is not under test
        long before = ProcessMemory.ResidentBytes();
        for (int round = 1; round <= Rounds; round++)
            NativeHeap.ReleasingAfter(() => RunRound(round, floats, fresh: true));
        long after = ProcessMemory.ResidentBytes();
        Assert.True(after - before < SlackBytes,
            $"resident memory should return to where it was once the stages end: {before >> 20} MB before, {after >> 20} MB after");
    }

    [Fact]
    public void Should_reuse_freed_buffers_within_a_stage_without_faulting_their_pages_again()
    {
        Assert.True(NativeHeap.ReuseFreedMemory(), "glibc's mallopt should accept the settings on Linux");
        ReuseWithinAStage((HeapBlockMegabytes << 20) / sizeof(float));
    }

    [Fact]
    public void Should_free_the_native_side_of_numbers_used_as_operands_when_a_stage_ends()
    {
        WeakReference? operand = null;
        NativeHeap.ReleasingAfter(() => operand = ScaleByANumber());
        Assert.False(operand!.IsAlive,
            "a number used as an operand waits for a garbage collection to free its native side: the stage's end should run one");
    }

    /// <summary>One operation with a number as its operand, as the networks' forward passes have by the thousand; the
    /// number's managed object, unreachable once this returns.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    static WeakReference ScaleByANumber()
    {
        using var scope = NewDisposeScope();
        using var x = ones(4);
        Scalar half = 0.5;
        using var y = x * half;
        return new WeakReference(half);
    }

    /// <remarks>glibc moves a thread to another arena when its own is locked at the moment it allocates (by a finalizer
    /// freeing a block, or a pool thread's allocation), and the blocks that land there are new pages once: one round can
    /// then fault part of its pages although nothing was returned. Without reuse every round faults all of them, so the
    /// best of a few rounds is what tells the two apart.</remarks>
    static void ReuseWithinAStage(long floats) =>
        NativeHeap.ReleasingAfter(() =>
        {
            RunRound(0, floats, fresh: false);                     // the stage's first layer: fresh pages, faulted once
            var faultsPerRound = new List<long>();
            for (int round = 1; round <= ReuseRounds; round++)     // the next layers: the same sizes, freed above
            {
                long faults = MinorFaults();
                RunRound(round, floats, fresh: false);
                faultsPerRound.Add(MinorFaults() - faults);
            }
            long pages = Blocks * (long)(HeapBlockMegabytes << 20) / PageBytes;
            Assert.True(faultsPerRound.Min() < pages / 2,
                $"buffers freed inside a stage should be reused from the heap: {string.Join(", ", faultsPerRound)} page faults per round for {pages} pages of new blocks");
            return 0;
        });

    /// <param name="fresh">whether the blocks are new to the process's resident memory (none freed before in this stage).</param>
    static int RunRound(int round, long floats, bool fresh)
    {
        using var scope = NewDisposeScope();
        long before = ProcessMemory.ResidentBytes();
        var blocks = Enumerable.Range(0, Blocks).Select(i => ones(floats + 1024 * ((i + round) % 7))).ToList();
        Assert.All(blocks, b => Assert.Equal(b.numel(), (long)b.sum(type: ScalarType.Float64).item<double>()));
        long held = ProcessMemory.ResidentBytes();
        if (fresh)
            Assert.True(held - before > Blocks * (BlockMegabytes << 20) / 2,
            $"the blocks should be resident while alive ({held - before} bytes)");
        foreach (var b in blocks) b.Dispose();
        return 0;
    }

    /// <summary>Minor page faults of this process so far (<c>/proc/self/stat</c>, field 10).</summary>
    static long MinorFaults()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
    }
}
