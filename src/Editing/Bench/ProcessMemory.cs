namespace Pipeline.Editing.Bench;

/// <summary>Resident and peak memory of this process as the kernel reports it (libtorch allocations included).</summary>
public static class ProcessMemory
{
    public static long ResidentBytes() => ReadStatusKb("VmRSS:") * 1024;
    public static long PeakResidentBytes() => ReadStatusKb("VmHWM:") * 1024;

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
