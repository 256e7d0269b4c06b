namespace Pipeline.Processing;

/// <summary>Where the stage processors find their model pack and how many CPU threads libtorch may use; bound from the
/// <c>Models</c> configuration section (environment: <c>Models__Directory</c>, <c>Models__Threads</c>).</summary>
public sealed class ModelOptions
{
    public const string Section = "Models";

    /// <summary>The repository's demo pack, looked up from the working directory and the binary's folder upwards.</summary>
    public const string DemoPack = "models/demo";

    /// <summary>A model pack folder (<c>manifest.json</c>) or an official release folder; null: the demo pack when found.</summary>
    public string? Directory { get; set; }

    /// <summary>libtorch CPU threads; 0 leaves libtorch's default (all cores).</summary>
    public int Threads { get; set; }

    /// <summary>The configured folder, or the demo pack found above the working directory or the binary.</summary>
    public string ResolveDirectory()
    {
        if (!string.IsNullOrWhiteSpace(Directory))
            return Directory;
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, DemoPack);
                if (File.Exists(Path.Combine(candidate, "manifest.json")))
                    return candidate;
            }
        }
        throw new DirectoryNotFoundException(
            $"no model pack configured ({Section}:{nameof(Directory)}) and no {DemoPack} found above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}");
    }
}
