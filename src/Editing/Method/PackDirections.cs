using System.Globalization;

namespace Pipeline.Editing.Method;

/// <summary>
/// Every direction of a model pack, in one place: the manifest's (or the official layout's), then what a person added
/// to the pack's <c>directions/</c> folder — the rows of <see cref="DirectionList"/> files, then any other <c>*.npy</c>
/// there: a W direction (1×D, applied to every layer), a W+ one (n×D), or an InterFaceGAN <c>boundary_NAME.npy</c>
/// (named NAME). An added direction without a DiffCam class (<see cref="DirectionEntry.ClassAssumed"/>) is masked by
/// the class-agnostic activation difference (<see cref="DirectionMasks"/>); one without
/// a unit strength takes the median of the manifest's (the official alpha 20 when it has none).
/// </summary>
public static class PackDirections
{
    public const string Folder = "directions";
    public const string BoundaryPrefix = "boundary_";
    public const int AssumedClass = 0;

    /// <summary>The manifest of the pack in <paramref name="packDir"/> (<c>manifest.json</c>, or the official release
    /// layout) with every added direction.</summary>
    public static ModelPackManifest ManifestOf(string packDir)
    {
        if (!Directory.Exists(packDir)) throw new DirectoryNotFoundException($"model folder not found: {packDir}");
        var path = Path.Combine(packDir, ModelPackManifest.FileName);
        return Complete(packDir, File.Exists(path) ? ModelPackManifest.Read(path) : EditModels.OfficialManifest(packDir));
    }

    /// <summary><paramref name="m"/> with the added directions of <paramref name="packDir"/> appended.</summary>
    public static ModelPackManifest Complete(string packDir, ModelPackManifest m)
    {
        var folder = Path.Combine(packDir, Folder);
        if (!Directory.Exists(folder)) return m;
        var all = m.Directions.Select(d => d.Origin is null ? d with { Origin = ModelPackManifest.FileName } : d).ToList();
        var unit = DefaultUnitStrength(m);
        var rows = new List<DirectionList.Row>();
        foreach (var (file, read) in new (string, Func<string, List<DirectionList.Row>>)[] { (DirectionList.JsonFile, DirectionList.ReadJson), (DirectionList.CsvFile, DirectionList.ReadCsv) })
            if (File.Exists(Path.Combine(folder, file))) rows.AddRange(read(Path.Combine(folder, file)));
        foreach (var r in rows)
        {
            if (r.Name.Length == 0 || r.File.Length == 0) throw new InvalidDataException($"{r.Origin}: a direction needs a name and a file");
            var path = Path.Combine(folder, r.File);
            if (!File.Exists(path)) throw new FileNotFoundException($"{r.Origin}: direction '{r.Name}': file not found: {path}", path);
            var (cls, assumed, mask) = Class(r, m);
            Add(all, new DirectionEntry
            {
                Name = r.Name, File = Path.GetRelativePath(packDir, path), ClassIndex = cls, ClassAssumed = assumed, Mask = mask,
                Normalization = r.Normalization ?? DirectionNormalization.Frobenius, UnitStrength = r.UnitStrength ?? unit, Origin = r.Origin,
            });
        }
        foreach (var path in Directory.GetFiles(folder, "*.npy").OrderBy(p => p, StringComparer.Ordinal))
        {
            if (all.Any(d => SameFile(packDir, d.File, path))) continue;
            var stem = Path.GetFileNameWithoutExtension(path);
            var name = stem.StartsWith(BoundaryPrefix, StringComparison.Ordinal) && stem.Length > BoundaryPrefix.Length ? stem[BoundaryPrefix.Length..] : stem;
            Add(all, new DirectionEntry
            {
                Name = name, File = Path.GetRelativePath(packDir, path), ClassIndex = AssumedClass, ClassAssumed = true,
                Normalization = DirectionNormalization.Frobenius, UnitStrength = unit, Origin = Path.Combine(Folder, Path.GetFileName(path)),
            });
        }
        return m with { Directions = all };
    }

    /// <summary>The unit strength of an added direction that names none: the median of the manifest's directions.</summary>
    public static double DefaultUnitStrength(ModelPackManifest m)
    {
        var units = m.Directions.Select(d => d.UnitStrength).OrderBy(u => u).ToList();
        if (units.Count == 0) return EditModels.OfficialAlpha;
        return units.Count % 2 == 1 ? units[units.Count / 2] : (units[units.Count / 2 - 1] + units[units.Count / 2]) / 2;
    }

    static void Add(List<DirectionEntry> all, DirectionEntry entry)
    {
        if (all.FirstOrDefault(d => d.Name == entry.Name) is { } other)
            throw new InvalidDataException($"direction '{entry.Name}' is defined twice: {other.Origin} ({other.File}) and {entry.Origin} ({entry.File}); rename one");
        all.Add(entry);
    }

    /// <summary>A row's <c>class</c>: absent (no class: the class-agnostic mask), an index (the DA module's own class
    /// for it), <c>agnostic</c> or <c>nearest</c>, or a trained direction's name (Diff-CAM of that direction's class,
    /// borrowed: DA training leaves the row out).</summary>
    static (int Class, bool Assumed, string? Mask) Class(DirectionList.Row r, ModelPackManifest m)
    {
        if (r.Class is null) return (AssumedClass, true, null);
        if (int.TryParse(r.Class, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index)) return (index, false, null);
        // The row names a mask, not a class: its class index is a placeholder that must not claim a trained class.
        if (r.Class is DirectionMask.Agnostic or DirectionMask.Nearest) return (AssumedClass, true, r.Class);
        return m.Directions.FirstOrDefault(d => d.Name == r.Class && d.Mask is null && !d.ClassAssumed) is { } known
            ? (known.ClassIndex, false, known.Name)
            : throw new InvalidDataException($"{r.Origin}: class '{r.Class}' is neither a DiffCam class index, '{DirectionMask.Agnostic}', '{DirectionMask.Nearest}' nor a trained direction of the pack ({string.Join(", ", m.Directions.Where(d => d.Mask is null && !d.ClassAssumed).Select(d => d.Name))})");
    }

    static bool SameFile(string packDir, string relative, string path) =>
        string.Equals(Path.GetFullPath(Path.Combine(packDir, relative)), Path.GetFullPath(path), StringComparison.Ordinal);
}
