using static TorchSharp.torch;

namespace Pipeline.Editing.Method;

/// <summary>
/// Resolves each direction's <c>mask</c> manifest entry against the pack's directions. A direction without one uses
/// its own <c>class_index</c>: the DA module is assumed to have been trained on it, which is true only when no other
/// direction shares that class. A shared class (a new direction added with the default <c>class_index</c> 0, say) is
/// named in the load log, since its mask is then the Diff-CAM of whatever direction the DA class was trained on. A
/// direction added to the pack's folder with no class at all (<see cref="DirectionEntry.ClassAssumed"/>) gets the
/// class-agnostic mask.
/// </summary>
public static class DirectionMasks
{
    public static Dictionary<string, DirectionMask> Resolve(IReadOnlyList<DirectionEntry> entries, IReadOnlyDictionary<string, EditDirection> vectors, Action<string> log)
    {
        var own = entries.Where(e => e.Mask is null && !e.ClassAssumed).ToList();
        var result = new Dictionary<string, DirectionMask>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            result[e.Name] = e.Mask switch
            {
                // Nobody named a class: borrowing class 0 would mask another edit's region; the agnostic mask is the
                // best measured option for a direction the DA module never saw (docs/directions.md).
                null when e.ClassAssumed => DirectionMask.ClassAgnostic() with { Description = "class-agnostic (no DA class named for it): channel mean of |E(T) - E(I')| of the DA trunk" },
                null => OwnClass(e, own),
                DirectionMask.Agnostic => DirectionMask.ClassAgnostic(),
                DirectionMask.Nearest => NearestClass(e, own, vectors),
                var name => NamedClass(e, name, own),
            };
            log($"mask of '{e.Name}': {result[e.Name].Description}");
        }
        return result;
    }

    /// <summary>Every direction's mask of the pack in <paramref name="packDir"/> as <see cref="EditModels.Load(string, System.Action{string}?)"/>
    /// resolves it, from the direction files alone (no network is read): how a manifest edit is checked before it stays.</summary>
    public static Dictionary<string, DirectionMask> OfPack(string packDir)
    {
        var m = PackDirections.ManifestOf(packDir);
        var vectors = new Dictionary<string, EditDirection>(StringComparer.Ordinal);
        try
        {
            foreach (var d in m.Directions)
                vectors[d.Name] = EditDirection.Load(Path.Combine(packDir, d.File), d.Normalization, d.Name);
            return Resolve(m.Directions, vectors, _ => { });
        }
        finally
        {
            foreach (var v in vectors.Values) v.Dispose();
        }
    }

    static DirectionMask OwnClass(DirectionEntry e, List<DirectionEntry> own)
    {
        var sharing = own.Where(o => o.Name != e.Name && o.ClassIndex == e.ClassIndex).Select(o => o.Name).ToList();
        if (sharing.Count == 0) return DirectionMask.OwnClass(e.ClassIndex);
        return DirectionMask.OwnClass(e.ClassIndex) with
        {
            Description = $"Diff-CAM of DA class {e.ClassIndex}, which '{e.Name}' shares with {string.Join(", ", sharing.Select(s => $"'{s}'"))}: "
                          + "the DA module cannot tell them apart (set 'mask' in the manifest: nearest, agnostic or a direction's name)",
        };
    }

    static DirectionMask NamedClass(DirectionEntry e, string name, List<DirectionEntry> own)
    {
        var source = own.FirstOrDefault(o => o.Name == name)
            ?? throw new InvalidDataException($"direction '{e.Name}' takes its mask from '{name}', which is neither 'nearest', 'agnostic' nor a direction the DA module was trained on ({string.Join(", ", own.Select(o => o.Name))})");
        if (source.Name == e.Name) throw new InvalidDataException($"direction '{e.Name}' names itself as its mask source; leave 'mask' out to use its own class");
        return new DirectionMask(DirectionMaskKind.BorrowedClass, source.ClassIndex, $"Diff-CAM of DA class {source.ClassIndex} of '{source.Name}' (named in the manifest)");
    }

    static DirectionMask NearestClass(DirectionEntry e, List<DirectionEntry> own, IReadOnlyDictionary<string, EditDirection> vectors)
    {
        var candidates = own.Where(o => o.Name != e.Name).ToList();
        if (candidates.Count == 0) throw new InvalidDataException($"direction '{e.Name}' asks for the nearest trained direction's mask, but the pack has no direction with its own DA class");
        var (best, cos) = candidates.Select(o => (o, AbsCosine(vectors[e.Name], vectors[o.Name]))).MaxBy(t => t.Item2);
        return new DirectionMask(DirectionMaskKind.BorrowedClass, best.ClassIndex,
            $"Diff-CAM of DA class {best.ClassIndex} of '{best.Name}', the nearest trained direction (|cos| {cos:0.000})");
    }

    /// <summary>|cos| between two directions over the whole W+ code (a W direction counts on every row); the sign of
    /// an edit does not change where it acts.</summary>
    public static double AbsCosine(EditDirection a, EditDirection b)
    {
        using var scope = NewDisposeScope();
        long rows = Math.Max(a.Vector.shape[0], b.Vector.shape[0]);
        if (a.Vector.shape[1] != b.Vector.shape[1] || (a.Vector.shape[0] != 1 && b.Vector.shape[0] != 1 && a.Vector.shape[0] != b.Vector.shape[0]))
            throw new ArgumentException($"directions '{a.Name}' and '{b.Name}' have different shapes");
        var x = a.Vector.cpu().to_type(ScalarType.Float64).expand(rows, -1).flatten();
        var y = b.Vector.cpu().to_type(ScalarType.Float64).expand(rows, -1).flatten();
        double dot = (x * y).sum().item<double>(), nx = (x * x).sum().sqrt().item<double>(), ny = (y * y).sum().sqrt().item<double>();
        return nx == 0 || ny == 0 ? 0 : Math.Abs(dot) / (nx * ny);
    }
}
