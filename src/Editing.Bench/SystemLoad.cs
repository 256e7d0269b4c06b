namespace Pipeline.Editing.Bench;

/// <summary>The 1, 5 and 15 minute load averages (<c>/proc/loadavg</c>) every benchmark table reports beside its
/// numbers: on a shared machine they say how much else was running.</summary>
public static class SystemLoad
{
    public static string Read()
    {
        try
        {
            return string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }
}
