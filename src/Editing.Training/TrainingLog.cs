using System.Globalization;

namespace Pipeline.Editing.Training;

/// <summary>
/// <c>log.csv</c>: one row per logged step (step, wall seconds, each loss). Resuming truncates rows past the
/// checkpoint's step so the log reads as one continuous run.
/// </summary>
public sealed class TrainingLog(string path)
{
    string[]? _columns;

    public void ResumeAt(long step)
    {
        if (!File.Exists(path)) return;
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) return;
        _columns = lines[0].Split(',')[2..];
        var kept = lines.Take(1).Concat(lines.Skip(1).Where(l => long.TryParse(l.Split(',')[0], out var s) && s <= step));
        File.WriteAllLines(path, kept);
    }

    /// <summary>The last row logged (its step, wall seconds and values), or null where the log has none: what a run
    /// that resumes at its end reports without training or evaluating again.</summary>
    public TrainingLogRow? LastRow()
    {
        if (!File.Exists(path)) return null;
        var lines = File.ReadLines(path).Where(l => l.Length > 0).ToList();
        if (lines.Count < 2) return null;
        var columns = lines[0].Split(',');
        var cells = lines[^1].Split(',');
        var ci = CultureInfo.InvariantCulture;
        if (cells.Length != columns.Length || !long.TryParse(cells[0], NumberStyles.Integer, ci, out var step)
            || !double.TryParse(cells[1], NumberStyles.Float, ci, out var seconds)) return null;
        var values = new Dictionary<string, double>();
        for (int i = 2; i < cells.Length; i++)
            if (double.TryParse(cells[i], NumberStyles.Float, ci, out var v)) values[columns[i]] = v;
        return new TrainingLogRow(step, seconds, values);
    }

    /// <summary>The value of <paramref name="column"/> logged at <paramref name="step"/> when that is the log's last row,
    /// else null: the figure of a run that resumes at its end, which trains and evaluates nothing.</summary>
    public double? LastValueAt(long step, string column) =>
        LastRow() is { } row && row.Step == step && row.Values.TryGetValue(column, out var v) ? v : null;

    public void Append(long step, double seconds, IReadOnlyDictionary<string, double> losses)
    {
        if (_columns is null)
        {
            _columns = losses.Keys.ToArray();
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, "step,seconds," + string.Join(",", _columns) + "\n");
        }
        var ci = CultureInfo.InvariantCulture;
        var row = $"{step},{seconds.ToString("0.###", ci)}," + string.Join(",", _columns.Select(c => losses.TryGetValue(c, out var v) ? v.ToString("R", ci) : ""));
        File.AppendAllText(path, row + "\n");
    }
}

/// <summary>One row of a <see cref="TrainingLog"/>.</summary>
public sealed record TrainingLogRow(long Step, double Seconds, IReadOnlyDictionary<string, double> Values);
