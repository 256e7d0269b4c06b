using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.Editing.Runtime;

/// <summary>
/// Transparent huge pages for libtorch's buffers. glibc's malloc asks for them (<c>madvise(MADV_HUGEPAGE)</c>) only
/// when the tunable <c>glibc.malloc.hugetlb=1</c> was in the environment when the process started, and a process cannot
/// set it for itself afterwards; so a process that runs the networks restarts itself once, in place (<c>execve</c>
/// of the same executable with the same arguments and process id), with the tunable added.
/// Measured on a 2-core AMD EPYC with AVX-512 (2026-12-07), where each page fault cost about 7 µs: one Deghosting
/// pass at 1024² 9.6 → 6.1 s (page faults over the run 3.7 M → 0.25 M), `pipeline bench method` 15.5 → 10.9 s per
/// image, peak memory unchanged (docs/benchmarks.md). <c>PIPELINE_HUGE_PAGES=0</c> turns it off; kernels with
/// transparent huge pages set to <c>never</c> ignore the request.
/// </summary>
public static class HugePages
{
    public const string Tunable = "glibc.malloc.hugetlb=1";
    public const string TunablesVariable = "GLIBC_TUNABLES";
    public const string SwitchVariable = "PIPELINE_HUGE_PAGES";

    /// <summary>Restarts this process with the tunable unless it has it already, is switched off, or cannot (not Linux,
    /// no <c>/proc</c>); returns only in those cases, or if the restart failed.</summary>
    public static void RestartWithThemIfOff()
    {
        if (!OperatingSystem.IsLinux()) return;
        var current = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .ToDictionary(name => name, name => Environment.GetEnvironmentVariable(name) ?? "", StringComparer.Ordinal);
        if (RestartEnvironment(current) is not { } environment) return;
        string[] argv;
        try
        {
            argv = File.ReadAllText("/proc/self/cmdline", Encoding.UTF8).TrimEnd('\0').Split('\0');
        }
        catch (IOException) { return; }
        catch (UnauthorizedAccessException) { return; }
        try
        {
            execve("/proc/self/exe", [.. argv, null], [.. environment, null]);   // returns only on failure
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { }
    }

    /// <summary>The environment (<c>NAME=value</c>) to restart with, or null when no restart is wanted: the tunable is
    /// there already, or <see cref="SwitchVariable"/> is <c>0</c>. Other tunables are kept, the new one appended.</summary>
    public static IReadOnlyList<string>? RestartEnvironment(IReadOnlyDictionary<string, string> current)
    {
        if (current.TryGetValue(SwitchVariable, out var on) && on == "0") return null;
        current.TryGetValue(TunablesVariable, out var tunables);
        if (tunables?.Contains("glibc.malloc.hugetlb", StringComparison.Ordinal) == true) return null;
        return current.Where(v => v.Key != TunablesVariable).Select(v => $"{v.Key}={v.Value}")
            .Append($"{TunablesVariable}={(string.IsNullOrEmpty(tunables) ? Tunable : tunables + ":" + Tunable)}")
            .ToList();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int execve(string path, string?[] argv, string?[] envp);
}
