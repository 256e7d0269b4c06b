namespace Pipeline.Editing.Bench;

/// <summary>Resident and peak memory of this process as the kernel reports it (libtorch allocations included).</summary>
public static class ProcessMemory
{
    const string ClearRefs = "/proc/self/clear_refs";
    // Writing "5" to clear_refs resets the peak resident set size (VmHWM) to the current one (Linux ≥ 4.0).
    const string ResetPeakCommand = "5";

    public static long ResidentBytes() => ReadStatusKb("VmRSS:") * 1024;
    public static long PeakResidentBytes() => ReadStatusKb("VmHWM:") * 1024;

    /// <summary>Starts a new peak measurement; false where the kernel offers no reset (the peak then spans the process).</summary>
    public static bool TryResetPeak()
    {
        try
        {
            if (!File.Exists(ClearRefs)) return false;
            File.WriteAllText(ClearRefs, ResetPeakCommand);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    static long ReadStatusKb(string field)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return Environment.WorkingSet / 1024;
        foreach (var line in File.ReadLines(status))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0]);
        return 0;
    }
}
