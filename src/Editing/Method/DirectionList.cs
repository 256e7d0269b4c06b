using System.Globalization;
using System.Text.Json;

namespace Pipeline.Editing.Method;

/// <summary>
/// A list of directions a person writes for a pack: <c>directions/directions.json</c> (an array of
/// <c>{"name", "file", "unit_strength", "class"}</c>) or <c>directions/directions.csv</c> (<c>name,file,unit_strength,class</c>,
/// header optional). Files are relative to the list's folder; <c>unit_strength</c> may be left out (the pack's default
/// applies) and so may <c>class</c>: how the edit is masked — a DiffCam class index the DA module was trained on for
/// it, the name of a trained direction (its class's Diff-CAM), <c>nearest</c>, or <c>agnostic</c> (also what no class gives).
/// </summary>
public static class DirectionList
{
    public const string JsonFile = "directions.json";
    public const string CsvFile = "directions.csv";

    /// <summary>One row as written: what <see cref="PackDirections"/> resolves against the pack.</summary>
    public sealed record Row
    {
        public string Name { get; init; } = "";
        public string File { get; init; } = "";
        public double? UnitStrength { get; init; }
        /// <summary>A DiffCam class index, the name of a trained pack direction whose class to use, <c>nearest</c> or <c>agnostic</c>.</summary>
        public string? Class { get; init; }
        public DirectionNormalization? Normalization { get; init; }
        /// <summary>Where the row is (<c>path:line</c> or <c>path[i]</c>), for errors.</summary>
        public string Origin { get; init; } = "";
    }

    public static List<Row> ReadJson(string path)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})");
        }
        if (root.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"{path}: expected an array of {{\"name\", \"file\", \"unit_strength\", \"class\"}}");
        var rows = new List<Row>();
        int i = 0;
        foreach (var e in root.EnumerateArray())
        {
            var at = $"{path}[{i++}]";
            if (e.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{at}: expected an object");
            string? Text(string key) => e.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null
                ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText() : null;
            var unit = Text("unit_strength");
            var normalization = Text("normalization");
            rows.Add(new Row
            {
                Name = Text("name") ?? "", File = Text("file") ?? "", Origin = at,
                UnitStrength = unit is null ? null : Number(unit, at, "unit_strength"),
                Class = Text("class") ?? Text("class_index"),
                Normalization = normalization is null ? null : Normalization(normalization, at),
            });
        }
        return rows;
    }

    public static List<Row> ReadCsv(string path)
    {
        var rows = new List<Row>();
        foreach (var (line, cells) in CsvLines.Read(path))
        {
            var at = $"{path}:{line}";
            if (rows.Count == 0 && cells[0].Equals("name", StringComparison.OrdinalIgnoreCase)) continue;
            if (cells.Length is < 2 or > 4) throw new InvalidDataException($"{at}: expected 'name,file[,unit_strength[,class]]', got {cells.Length} cells");
            rows.Add(new Row
            {
                Name = cells[0], File = cells[1], Origin = at,
                UnitStrength = cells.Length > 2 && cells[2].Length > 0 ? Number(cells[2], at, "unit_strength") : null,
                Class = cells.Length > 3 && cells[3].Length > 0 ? cells[3] : null,
            });
        }
        return rows;
    }

    /// <summary>Writes (or updates) the JSON list in <paramref name="folder"/>: the row of the same name is replaced.</summary>
    public static void Upsert(string folder, Row row)
    {
        var path = Path.Combine(folder, JsonFile);
        var rows = File.Exists(path) ? ReadJson(path) : new List<Row>();
        rows.RemoveAll(r => r.Name == row.Name);
        rows.Add(row);
        var json = rows.Select(r => new Dictionary<string, object?>
        {
            ["name"] = r.Name, ["file"] = r.File, ["unit_strength"] = r.UnitStrength, ["class"] = r.Class,
            ["normalization"] = r.Normalization?.ToString().ToLowerInvariant(),
        }.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value));
        Directory.CreateDirectory(folder);
        File.WriteAllText(path, JsonSerializer.Serialize(json, ModelPackManifest.Json) + "\n");
    }

    static double Number(string text, string at, string what) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v > 0
            ? v : throw new InvalidDataException($"{at}: {what} must be a positive number, got '{text}'");

    static DirectionNormalization Normalization(string text, string at) =>
        Enum.TryParse<DirectionNormalization>(text, ignoreCase: true, out var n)
            ? n : throw new InvalidDataException($"{at}: normalization must be 'frobenius' or 'none', got '{text}'");
}
