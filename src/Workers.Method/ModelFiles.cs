using Pipeline.Editing.Method;
using Pipeline.Hosting.Workers;

namespace Pipeline.Workers.Method;

/// <summary>What a model folder must hold before a worker loads it: <c>manifest.json</c> (a model pack), or the
/// official release files. A folder without them names every file looked for, with the setting that chose the folder,
/// so that a worker's readiness and log say what to put where.</summary>
public static class ModelFiles
{
    /// <summary>The configuration key of the model folder, as an operator sets it.</summary>
    public const string Setting = $"{ModelOptions.Section}:{nameof(ModelOptions.Directory)}";

    public static readonly IReadOnlyList<string> OfficialFiles =
        [EditModels.OfficialEncoderFile, EditModels.OfficialDiffCamFile, EditModels.OfficialDeghostingFile];

    /// <summary>Throws <see cref="MissingProcessorFilesException"/> when <paramref name="directory"/> holds neither a
    /// manifest nor every official release file.</summary>
    public static void ThrowIfMissing(string directory)
    {
        var manifest = Path.Combine(directory, ModelPackManifest.FileName);
        if (File.Exists(manifest))
            return;
        var official = OfficialFiles.Select(f => Path.Combine(directory, f)).ToList();
        var missing = official.Where(p => !File.Exists(p)).ToList();
        if (missing.Count == 0)
            return;
        var what = missing.Count == official.Count
            ? $"{manifest} not found, nor the official release files {string.Join(", ", missing)}"
            : $"{string.Join(", ", missing)} not found";
        throw new MissingProcessorFilesException($"{what} ({Setting}={directory})");
    }
}
