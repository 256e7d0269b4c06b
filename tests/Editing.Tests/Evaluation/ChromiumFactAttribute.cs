namespace Pipeline.Editing.Tests.Evaluation;

/// <summary>A test that drives Debian's Chromium. Skipped on a developer machine without it, with the command that
/// installs it; in CI (<c>CI=true</c>) it runs and fails, because a missing browser there is a broken CI setup.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Executable = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!File.Exists(Executable) && !ci)
            Skip = $"needs {Executable}: apt-get install -y chromium (bash .ci/run does)";
    }
}
