using System.Globalization;
using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>Deterministic blob names. A stage stores the outputs of the items of one job that it computed in one batch as
/// one bundle, written whole, named by those items' indices: the same batch computed again (redelivered) writes to the
/// same place, and the bundles holding an item are found by listing its job's stage folder.</summary>
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

    /// <summary>At most this many items share a bundle (a larger batch stores several), so a bundle's name stays far below
    /// the 1,024 characters a blob name may have.</summary>
    public const int MaxItemsPerBundle = 64;

    /// <summary>The folder of <paramref name="stage"/>'s bundles for one job.</summary>
    public static string BundleFolder(Guid jobId, Stage stage) => $"{JobFolder(jobId)}bundles/{stage.ToString().ToLowerInvariant()}/";

    /// <summary>The stage bundle holding every output of <paramref name="stage"/> for the items at <paramref name="indices"/>
    /// (<see cref="StageBundle"/>): <c>jobs/{job}/bundles/{stage}/000003-000007.bundle</c>.</summary>
    public static string Bundle(Guid jobId, Stage stage, IReadOnlyCollection<int> indices)
    {
        if (indices.Count is 0 or > MaxItemsPerBundle)
            throw new ArgumentOutOfRangeException(nameof(indices), indices.Count, $"a bundle holds 1 to {MaxItemsPerBundle} items");
        return $"{BundleFolder(jobId, stage)}{string.Join('-', indices.Order().Select(i => i.ToString("D6", CultureInfo.InvariantCulture)))}.{StageBundle.Extension}";
    }

    /// <summary>The bundle of one item computed on its own.</summary>
    public static string Bundle(Guid jobId, int index, Stage stage) => Bundle(jobId, stage, [index]);

    /// <summary>The item indices a bundle's name says it holds; empty for a name that is not a bundle's.</summary>
    public static IReadOnlyList<int> IndicesOfBundle(string name)
    {
        var file = name[(name.LastIndexOf('/') + 1)..];
        if (!file.EndsWith($".{StageBundle.Extension}", StringComparison.Ordinal))
            return [];
        var indices = new List<int>();
        foreach (var part in file[..^(StageBundle.Extension.Length + 1)].Split('-'))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                return [];
            indices.Add(index);
        }
        return indices;
    }

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
