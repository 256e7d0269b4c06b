using System.Globalization;

namespace Pipeline.Launcher;

/// <summary>CPU time of a process and everything below it, from Linux's <c>/proc</c>: user and system time of the
/// process and of each live descendant, plus what the exited children left in their parents' <c>cutime</c> and
/// <c>cstime</c> (a PostgreSQL backend that served one connection and ended). Where <c>/proc</c> cannot be read (not
/// Linux, the process gone) the answer is null, never an exception.</summary>
public static class ProcessTreeCpu
{
    /// <summary>Clock ticks per second of <c>/proc/&lt;pid&gt;/stat</c> (<c>sysconf(_SC_CLK_TCK)</c>, 100 on every
    /// Linux that .NET runs on).</summary>
    private const double TicksPerSecond = 100;

    public static double? Seconds(int rootPid)
    {
        var stats = ReadAll();
        if (!stats.ContainsKey(rootPid))
            return null;
        var children = stats.Values.ToLookup(s => s.ParentPid);
        var ticks = 0L;
        var pending = new Stack<int>([rootPid]);
        while (pending.TryPop(out var pid))
        {
            var stat = stats[pid];
            ticks += stat.Ticks;
            foreach (var child in children[pid])
                pending.Push(child.Pid);
        }
        return ticks / TicksPerSecond;
    }

    private sealed record Stat(int Pid, int ParentPid, long Ticks);

    private static Dictionary<int, Stat> ReadAll()
    {
        var stats = new Dictionary<int, Stat>();
        if (!Directory.Exists("/proc"))
            return stats;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            try
            {
                if (Parse(pid, File.ReadAllText(Path.Combine(dir, "stat"))) is { } stat)
                    stats[pid] = stat;
            }
            catch (IOException)
            {
                // Ended between the listing and the read.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return stats;
    }

    /// <summary>Fields after the command name (which may hold spaces and parentheses, so it is skipped up to its last
    /// ')'): state, ppid, … utime (14th field), stime, cutime, cstime.</summary>
    private static Stat? Parse(int pid, string line)
    {
        var end = line.LastIndexOf(')');
        if (end < 0)
            return null;
        var fields = line[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is the 3rd field of the line (state): the nth field is fields[n - 3].
        if (fields.Length < 15
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
            || !TryTicks(fields, 14, out var utime) || !TryTicks(fields, 15, out var stime)
            || !TryTicks(fields, 16, out var cutime) || !TryTicks(fields, 17, out var cstime))
            return null;
        return new Stat(pid, parent, utime + stime + cutime + cstime);
    }

    private static bool TryTicks(string[] fields, int field, out long ticks) =>
        long.TryParse(fields[field - 3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out ticks);
}
