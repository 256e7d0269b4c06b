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

    /// <summary>The official release files besides the encoder, which may be either of
    /// <see cref="EditModels.OfficialEncoderFiles"/> (pSp or e4e, or both).</summary>
    public static readonly IReadOnlyList<string> OfficialFiles = [EditModels.OfficialDiffCamFile, EditModels.OfficialDeghostingFile];

    /// <summary>Throws <see cref="MissingProcessorFilesException"/> when <paramref name="directory"/> holds neither a
    /// manifest nor the official release files (an encoder file, DiffCam and Deghosting).</summary>
    public static void ThrowIfMissing(string directory)
    {
        var manifest = Path.Combine(directory, ModelPackManifest.FileName);
        if (File.Exists(manifest))
            return;
        var encoders = EditModels.OfficialEncoderFiles.Select(f => Path.Combine(directory, f)).ToList();
        var missing = OfficialFiles.Select(f => Path.Combine(directory, f)).Where(p => !File.Exists(p)).ToList();
        bool noEncoder = !encoders.Any(File.Exists);
        if (!noEncoder && missing.Count == 0)
            return;
        if (noEncoder) missing.Insert(0, string.Join(" or ", encoders));
        var what = noEncoder && missing.Count == OfficialFiles.Count + 1
            ? $"{manifest} not found, nor the official release files {string.Join(", ", missing)}"
            : $"{string.Join(", ", missing)} not found";
        throw new MissingProcessorFilesException($"{what} ({Setting}={directory})");
    }
}
