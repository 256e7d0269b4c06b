namespace Pipeline.Editing.Method;

/// <summary>
/// The small comma-separated files people write by hand (label lists, direction lists): blank lines and <c>#</c>
/// comments are skipped, cells are trimmed, there is no quoting. Each row keeps its 1-based line number so that an
/// error can name it.
/// </summary>
public static class CsvLines
{
    public static IEnumerable<(int Line, string[] Cells)> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"file not found: {path}", path);
        int n = 0;
        foreach (var raw in File.ReadLines(path))
        {
            n++;
            var line = n == 1 ? raw.TrimStart('\uFEFF').Trim() : raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            yield return (n, line.Split(',', StringSplitOptions.TrimEntries));
        }
    }
}
