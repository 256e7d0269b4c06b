namespace Pipeline.Editing.Tests;

/// <summary>Locates the read-only fixture trees in <c>shared/</c> beside the repository (as CI lays them out).</summary>
public static class FixturePaths
{
    public static string Shared
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("PIPELINE_SHARED");
            if (!string.IsNullOrEmpty(env)) return env;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "parity");
                if (Directory.Exists(candidate) && dir.GetFiles("*.sln").Length == 0) return Path.Combine(dir.FullName, "shared");
                var sibling = Path.Combine(dir.FullName, "..", "shared", "parity");
                if (dir.GetFiles("Pipeline.sln").Length == 1 && Directory.Exists(sibling)) return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
            }
            throw new DirectoryNotFoundException("shared/ fixtures not found beside the repository; set PIPELINE_SHARED");
        }
    }

    public static string Parity => Path.Combine(Shared, "parity");
    public static string ParityMetrics => Path.Combine(Shared, "parity-metrics");
}
