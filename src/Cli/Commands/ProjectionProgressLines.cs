using System.Globalization;
using Pipeline.Editing.Method;

namespace Pipeline.Cli.Commands;

/// <summary>
/// Shows a long projection's progress as a line every tenth of its steps (plain lines: they coexist with the edit
/// command's item bar and read well in logs).
/// </summary>
public sealed class ProjectionProgressLines(TextWriter output) : IProgress<ProjectionStep>
{
    const int LinesPerProjection = 10;

    public void Report(ProjectionStep value)
    {
        int every = Math.Max(1, value.Steps / LinesPerProjection);
        if (value.Step % every == 0 || value.Step == value.Steps)
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, "  projection step {0}/{1}: loss {2:0.00000}", value.Step, value.Steps, value.Loss));
    }
}
