using System.Runtime.InteropServices;

namespace Pipeline.Editing.Runtime;

/// <summary>
/// How libtorch's CPU buffers are reused and given back. A 1024² image through the method allocates and frees tens of
/// gigabytes of activation buffers; where each allocation is a fresh mapping, every page of it is a page fault that the
/// kernel zeroes, and those faults cost the method about a third of its time (Deghosting: 37.6 M faults over 12 passes
/// with every block above 128 KiB mapped on its own, 12 M with the arrangement below). glibc's default is no better for
/// a long-running worker: it raises its mmap threshold each time a large block is freed, after which every buffer comes
/// from a heap that fragments and keeps its pages, so resident memory crept for the first iterations.
/// <para>
/// The arrangement here: blocks under 32 MB (glibc's largest mmap threshold; the encoders' and the 128²–256² maps) come
/// from malloc's heap, so a buffer freed by one layer is reused by the next without touching the kernel, and free heap
/// memory is kept while a stage runs (a high trim threshold); the 1024² and 512² maps (32–512 MB) keep a mapping of
/// their own, released on dispose, so they never fragment the heap or raise the peak. When a stage ends it hands every
/// free heap page back, those in the middle of the heap included (<see cref="ReleaseFreeMemory"/>): resident memory
/// follows the working set of the stage in progress and falls back to what stays alive between stages, iteration
/// after iteration. Measured in docs/benchmarks.md. Where page faults are dear, huge pages cut their number further
/// (<see cref="HugePages"/>).
/// </para>
/// </summary>
public static class NativeHeap
{
    /// <summary>Free memory at the top of the heap that a <c>free</c> keeps for reuse instead of returning it: above the
    /// largest working set of a stage at the official size, so nothing goes back mid-stage.</summary>
    public const int DefaultKeepFreeBytes = 1 << 30;

    /// <summary>Blocks this size and larger get a mapping of their own, returned on dispose: glibc's largest mmap
    /// threshold (<c>HEAP_MAX_SIZE / 2</c> on 64-bit).</summary>
    public const int OwnMappingBytes = 32 << 20;

    const int MallocTrimThreshold = -1;   // M_TRIM_THRESHOLD in malloc.h
    const int MallocMmapThreshold = -3;   // M_MMAP_THRESHOLD in malloc.h

    /// <summary>Serves blocks under <see cref="OwnMappingBytes"/> from the heap and keeps its free memory for reuse until
    /// <see cref="ReleaseFreeMemory"/>; larger blocks are mapped on their own.
    /// Returns false where the C library has no <c>mallopt</c> (not glibc) and nothing changed. Call it once, at the
    /// start of a process that runs the networks.</summary>
    public static bool ReuseFreedMemory(int keepFreeBytes = DefaultKeepFreeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keepFreeBytes);
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return mallopt(MallocMmapThreshold, OwnMappingBytes) == 1 && mallopt(MallocTrimThreshold, keepFreeBytes) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Frees the native objects that wait for a finalizer, then gives every free page of every malloc arena back
    /// to the system (<c>malloc_trim(0)</c>). A stage calls it when its buffers are disposed.</summary>
    /// <remarks>TorchSharp frees the native side of a number used as a tensor operand (<c>x * 0.5</c>) only in its
    /// finalizer, so those small blocks pile up between garbage collections, which a stage's few managed allocations
    /// rarely trigger, and interleave with the heap's other blocks: resident memory then crept by 0.2–0.6 MB per pass
    /// of a network (docs/benchmarks.md).</remarks>
    public static void ReleaseFreeMemory()
    {
        GC.Collect(1, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            malloc_trim(0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc: its allocator keeps its own policy.
        }
    }

    /// <summary>Runs a stage and releases the free memory it leaves once its buffers are disposed.</summary>
    public static T ReleasingAfter<T>(Func<T> stage)
    {
        try
        {
            return stage();
        }
        finally
        {
            ReleaseFreeMemory();
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
