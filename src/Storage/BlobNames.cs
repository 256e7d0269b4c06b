using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>Deterministic blob names. Every output of a stage for an item has one fixed name, so a redelivered message
/// writes to the same place; all of a stage's outputs for an item live in one bundle, written whole.</summary>
public static class BlobNames
{
    public const string UploadsPrefix = "uploads/";
    public const string JobsPrefix = "jobs/";

    /// <summary>Uploaded sources are content-addressed: uploading the same image twice stores it once.</summary>
    public static string Upload(string sha256, string extension) => $"{UploadsPrefix}{sha256}.{extension}";

    /// <summary>Everything stored for one job (its stage bundles and counters); uploads live outside it.</summary>
    public static string JobFolder(Guid jobId) => $"{JobsPrefix}{jobId:N}/";

    public static string StageFolder(Guid jobId, int index, Stage stage) =>
        $"{JobFolder(jobId)}items/{index:D6}/{stage.ToString().ToLowerInvariant()}/";

    /// <summary>The stage bundle holding every output of <paramref name="stage"/> for one item (<see cref="StageBundle"/>).</summary>
    public static string Bundle(Guid jobId, int index, Stage stage) => $"{StageFolder(jobId, index, stage)}outputs.{StageBundle.Extension}";

    /// <summary>How many times a worker ran this item's stage on its own after a delivery that was never acknowledged
    /// (<c>Pipeline.Hosting.Workers.PoisonMessages</c>): a small counter, not an output.</summary>
    public static string SoloRuns(Guid jobId, int index, Stage stage) => $"{StageFolder(jobId, index, stage)}solo-runs";

    /// <summary>Only names under these prefixes are served by the coordinator's download endpoint.</summary>
    public static bool IsServable(string name) =>
        (name.StartsWith(UploadsPrefix, StringComparison.Ordinal) || name.StartsWith(JobsPrefix, StringComparison.Ordinal))
        && IsSafe(name);

    /// <summary>Relative, no empty or dot segments, no backslashes: safe as a folder path and as a blob name.</summary>
    public static bool IsSafe(string name) =>
        name.Length is > 0 and <= 1024
        && !name.Contains('\\')
        && !name.StartsWith('/')
        && name.Split('/').All(segment => segment.Length > 0 && segment != "." && segment != "..");
}
