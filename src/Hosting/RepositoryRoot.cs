namespace Pipeline.Hosting;

/// <summary>The repository a binary was built in: the folder holding <c>Pipeline.sln</c>, looked up from the working
/// directory and from the binary's folder upwards. Defaults that point into the repository (the demo model pack,
/// <c>samples/</c>, the test fixtures, the built service binaries) resolve from here, so they work from any working
/// directory inside the clone and from a build output folder.</summary>
public static class RepositoryRoot
{
    public const string SolutionFile = "Pipeline.sln";

    /// <summary>The repository root, or null when neither the working directory nor the binary lies inside a clone
    /// (a published service image).</summary>
    public static string? TryFind()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                    return dir.FullName;
            }
        }
        return null;
    }

    public static string Find() => TryFind() ?? throw new DirectoryNotFoundException(
        $"the repository root ({SolutionFile}) is not above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}");

    /// <summary>A path inside the repository; relative to the working directory when no clone is found, so that an
    /// error names the path a user would expect.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([TryFind() ?? "", .. parts]);
}
