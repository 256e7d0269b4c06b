using System.Globalization;
using static TorchSharp.torch;

namespace Pipeline.Editing.Checkpoints;

/// <summary>Python-like one-line text for unpickled values (for <c>checkpoint inspect</c> and error messages).</summary>
public static class PickleText
{
    /// <summary>Longest text shown for one value before it is cut with "…".</summary>
    const int MaxLength = 200;

    public static string Repr(object? value)
    {
        var text = value switch
        {
            null => "None",
            bool b => b ? "True" : "False",
            string s => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'",
            long l => l.ToString(CultureInfo.InvariantCulture),
            double d => FormatDouble(d),
            Tensor t => $"tensor({DTypes.TorchName(t.dtype)} {DTypes.ShapeText(t.shape)})",
            PickleTuple t => t.ToString(),
            List<object?> list => "[" + string.Join(", ", list.Select(Repr)) + "]",
            PickleDict d => "{" + string.Join(", ", d.Select(kv => Repr(kv.Key) + ": " + Repr(kv.Value))) + "}",
            _ => value.ToString() ?? "",
        };
        return text.Length <= MaxLength ? text : text[..MaxLength] + "…";
    }

    /// <summary>Python's float repr: shortest round-trip digits, always with a decimal point or exponent.</summary>
    static string FormatDouble(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsInfinity(d)) return d > 0 ? "inf" : "-inf";
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') ? s.Replace("E", "e") : s + ".0";
    }

    /// <summary>The Python type name of a value, as an error message would name it.</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "None",
        bool => "bool",
        string => "str",
        long => "int",
        double => "float",
        Tensor => "Tensor",
        PickleTuple => "tuple",
        List<object?> => "list",
        PickleDict { IsOrderedDict: true } => "OrderedDict",
        PickleDict => "dict",
        _ => value.GetType().Name,
    };
}
