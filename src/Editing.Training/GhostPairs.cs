namespace Pipeline.Editing.Training;

/// <summary>The (lq, gt) files of a ghost set, paired by file stem and sorted, as the official deghosting dataset reads them.</summary>
public sealed class GhostPairs
{
    public GhostPairs(string dir)
    {
        var lqDir = Path.Combine(dir, GhostSetManifest.LowQualityDir);
        var gtDir = Path.Combine(dir, GhostSetManifest.TargetDir);
        if (!Directory.Exists(lqDir) || !Directory.Exists(gtDir))
            throw new DirectoryNotFoundException($"{dir} is not a ghost set: it needs {GhostSetManifest.LowQualityDir}/ and {GhostSetManifest.TargetDir}/ (pipeline ghost-set writes them)");
        var lq = Stems(lqDir);
        var gt = Stems(gtDir);
        var unpaired = lq.Keys.Except(gt.Keys).Select(s => $"{GhostSetManifest.LowQualityDir}/{s}")
            .Concat(gt.Keys.Except(lq.Keys).Select(s => $"{GhostSetManifest.TargetDir}/{s}")).Order(StringComparer.Ordinal).ToList();
        if (unpaired.Count > 0)
            throw new ArgumentException($"{dir}: {unpaired.Count} file(s) without a partner: {string.Join(", ", unpaired.Take(5))}{(unpaired.Count > 5 ? ", …" : "")}");
        if (lq.Count == 0) throw new ArgumentException($"{dir}: the ghost set is empty");
        Names = lq.Keys.Order(StringComparer.Ordinal).ToList();
        LowQuality = Names.Select(n => lq[n]).ToList();
        Targets = Names.Select(n => gt[n]).ToList();
    }

    public IReadOnlyList<string> Names { get; }
    public IReadOnlyList<string> LowQuality { get; }
    public IReadOnlyList<string> Targets { get; }
    public int Count => Names.Count;

    static Dictionary<string, string> Stems(string dir)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in TrainingImages.List(dir, recursive: false))
            if (!map.TryAdd(Path.GetFileNameWithoutExtension(f), f))
                throw new ArgumentException($"{dir}: two files share the stem '{Path.GetFileNameWithoutExtension(f)}'");
        return map;
    }
}
