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
