using Pipeline.Editing.Method;

namespace Pipeline.Editing.Training;

/// <summary>One labelled image of a user's label file.</summary>
/// <param name="Line">1-based line of the label file, for messages</param>
public sealed record LabelledFile(string File, bool Label, int Line);

/// <summary>
/// A user's labels for one attribute: a CSV of <c>file,label</c> with label 0 or 1 (header optional, blank lines and
/// <c>#</c> comments skipped). A bad row is an error naming its line; so is a file labelled twice.
/// </summary>
public static class AttributeLabels
{
    /// <summary>Fewest images per class a boundary is fitted from: with fewer, a linear boundary in hundreds of
    /// dimensions separates any labelling and its held-out accuracy is noise.</summary>
    public const int MinimumPerClass = 10;

    public static List<LabelledFile> Read(string path)
    {
        var rows = new List<LabelledFile>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        bool first = true;
        foreach (var (line, cells) in CsvLines.Read(path))
        {
            bool header = first && cells.Length == 2 && cells[1] is not ("0" or "1");
            first = false;
            if (header) continue;
            if (cells.Length != 2 || cells[0].Length == 0)
                throw new InvalidDataException($"{path}:{line}: expected 'file,label' (label 0 or 1), got {cells.Length} cell(s)");
            if (cells[1] is not ("0" or "1"))
                throw new InvalidDataException($"{path}:{line}: label of '{cells[0]}' must be 0 or 1, got '{cells[1]}'");
            if (seen.TryGetValue(cells[0], out var earlier))
                throw new InvalidDataException($"{path}:{line}: '{cells[0]}' is labelled twice (also on line {earlier})");
            seen[cells[0]] = line;
            rows.Add(new LabelledFile(cells[0], cells[1] == "1", line));
        }
        return rows;
    }

    /// <summary>Refuses a labelling a boundary cannot be fitted from: one-sided, or under
    /// <see cref="MinimumPerClass"/> in a class; the message gives both counts.</summary>
    public static void CheckCounts(IReadOnlyList<bool> labels, string attribute)
    {
        int on = labels.Count(l => l), off = labels.Count - on;
        if (on < MinimumPerClass || off < MinimumPerClass)
            throw new ArgumentException(
                $"'{attribute}': {on} image(s) labelled 1 and {off} labelled 0; a boundary needs at least {MinimumPerClass} of each" +
                (on == 0 || off == 0 ? " (the labels are one-sided)" : ""));
    }
}
