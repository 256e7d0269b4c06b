using Xunit;

namespace Pipeline.Testing;

/// <summary>A test that drives Debian's Chromium. Skipped on a developer machine without it, with the command that
/// installs it; in CI (<c>CI=true</c>) it runs and fails, because a missing browser there is a broken CI setup. Shared
/// by the test projects as a linked source file.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Executable = "/usr/bin/chromium";

    /// <summary>Headless, and nothing that reaches the network on its own.</summary>
    public static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public ChromiumFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!File.Exists(Executable) && !ci)
            Skip = $"needs {Executable}: apt-get install -y chromium (bash .ci/run does)";
    }
}
