using System.Runtime.InteropServices;

namespace Pipeline.Editing.Runtime;

/// <summary>
/// How libtorch's CPU buffers come back to the system. glibc's malloc serves blocks above its mmap threshold with
/// mmap and unmaps them on free, but it raises that threshold (up to 32 MB) every time such a block is freed; from
/// then on activation buffers come from the heap, which fragments, so resident memory climbed for the first ~10
/// iterations of a network (pSp 1,559 → 1,650 MB, Deghosting +34 % between iterations 5 and 50) before levelling off.
/// Fixing the threshold keeps every large tensor an mmap of its own, returned on dispose: resident memory stays flat
/// from the first iteration and its peak drops.
/// </summary>
public static class NativeHeap
{
    /// <summary>Blocks this size and larger are mapped individually and unmapped on dispose: glibc's own initial
    /// threshold, held fixed. Measured with it: growth from iteration 5 to 50 of +1.5 to +3.1 % for every official
    /// network, the method's peak 3.7 GB instead of 4.6 GB, at the price of page faults on fresh mappings (the method
    /// 17.1 s per image instead of 11.9 s). 16 MB was as fast as no fix (Deghosting 7.7 s) and flat over 12 iterations,
    /// but its 50-iteration growth and the method's peak with it were not measured; pass it where speed matters more.</summary>
    public const int DefaultLargeBlockBytes = 128 * 1024;

    /// <summary>Free memory at the top of the heap kept for reuse before it is given back.</summary>
    public const int DefaultTrimBytes = 128 * 1024;

    const int MallocTrimThreshold = -1;   // M_TRIM_THRESHOLD in malloc.h
    const int MallocMmapThreshold = -3;   // M_MMAP_THRESHOLD in malloc.h

    /// <summary>Fixes malloc's mmap and trim thresholds for this process. Returns false where the C library has no
    /// <c>mallopt</c> (not glibc) and nothing changed.</summary>
    public static bool ReturnLargeBlocksToSystem(int largeBlockBytes = DefaultLargeBlockBytes, int trimBytes = DefaultTrimBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(largeBlockBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trimBytes);
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return mallopt(MallocMmapThreshold, largeBlockBytes) == 1 && mallopt(MallocTrimThreshold, trimBytes) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
