using Pipeline.Hosting;

namespace Pipeline.Workers.Method;

/// <summary>Where the stage processors find their model pack and how many CPU threads libtorch may use; bound from the
/// <c>Models</c> configuration section (environment: <c>Models__Directory</c>, <c>Models__Threads</c>).</summary>
public sealed class ModelOptions
{
    public const string Section = "Models";

    /// <summary>The repository's demo pack, relative to the repository root (<see cref="RepositoryRoot"/>).</summary>
    public const string DemoPack = "models/demo";

    /// <summary>A model pack folder (<c>manifest.json</c>) or an official release folder; null: the demo pack when found.</summary>
    public string? Directory { get; set; }

    /// <summary>torchvision VGG16 weights for the projection's perceptual term (<c>Models__VggWeights</c>); null: the
    /// projection uses pixel MSE only. Server configuration only: a job cannot name a file.</summary>
    public string? VggWeights { get; set; }

    /// <summary>libtorch CPU threads; 0 leaves libtorch's default (all cores).</summary>
    public int Threads { get; set; }

    /// <summary>Where the pack runs (<c>Models__Device</c>): <c>cpu</c> (default), <c>cuda</c> or <c>cuda:N</c>; CUDA needs
    /// the build switch <c>-p:TorchBackend=cuda</c> and a visible GPU.</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>The configured folder, or the repository's demo pack when the process runs from a clone.</summary>
    public string ResolveDirectory()
    {
        if (!string.IsNullOrWhiteSpace(Directory))
            return Directory;
        if (RepositoryRoot.TryFind() is { } root && File.Exists(Path.Combine(root, DemoPack, "manifest.json")))
            return Path.Combine(root, DemoPack);
        throw new DirectoryNotFoundException(
            $"no model pack configured ({Section}:{nameof(Directory)}) and no repository with {DemoPack} above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}");
    }
}
