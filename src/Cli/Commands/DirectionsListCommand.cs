using System.CommandLine;
using System.Globalization;
using Pipeline.Editing.Method;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline directions list --models DIR</c>: every direction of a pack (<see cref="PackDirections"/>) with
/// its shape, norm, the W+ rows it moves, its unit strength and the DiffCam class its mask comes from.</summary>
public static class DirectionsListCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "model pack folder", DefaultValueFactory = _ => EditCommand.DefaultModels };
        var cmd = new Command("list", "show every direction of a pack: shape, norm, rows it moves, unit strength, DiffCam class") { models };
        cmd.SetAction(p => InputGuard.Run("directions list", () => Run(p.GetValue(models)!, Console.Out)));
        return cmd;
    }

    public static int Run(string modelsDir, TextWriter output)
    {
        var rows = DirectionSummary.Of(modelsDir);
        var ci = CultureInfo.InvariantCulture;
        var table = new List<string[]> { new[] { "name", "shape", "norm", "rows moved", "unit strength", "DiffCam mask", "from" } };
        table.AddRange(rows.Select(r => new[]
        {
            r.Name, r.Shape, r.Norm.ToString("0.####", ci), r.Layers, r.UnitStrength.ToString("0.####", ci), r.Mask, r.Origin,
        }));
        var widths = Enumerable.Range(0, table[0].Length).Select(c => table.Max(row => row[c].Length)).ToArray();
        foreach (var row in table)
            output.WriteLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        output.WriteLine($"{rows.Count} direction(s) in {Path.GetFullPath(modelsDir)}");
        return ExitCodes.Ok;
    }
}
