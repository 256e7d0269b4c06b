using System.Globalization;

namespace Pipeline.Editing.Method;

/// <summary>One edit: an attribute direction and a strength in units of the direction's unit strength (official α = 20).</summary>
public sealed record AttributeEdit(string Attribute, double Strength)
{
    /// <summary>Parses <c>NAME=STRENGTH</c> (e.g. <c>smile=+1</c>, <c>age=-0.5</c>) or a bare <c>NAME</c> (strength 1).</summary>
    public static AttributeEdit Parse(string text)
    {
        var parts = text.Split('=', 2, StringSplitOptions.TrimEntries);
        if (parts[0].Length == 0) throw new FormatException($"edit '{text}' has no attribute name (NAME=STRENGTH)");
        if (parts.Length == 1) return new AttributeEdit(parts[0], 1.0);
        if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var s))
            throw new FormatException($"edit '{text}': strength '{parts[1]}' is not a number");
        return new AttributeEdit(parts[0], s);
    }

    public override string ToString() => $"{Attribute}={Strength.ToString("+0.###;-0.###;0", CultureInfo.InvariantCulture)}";
}
