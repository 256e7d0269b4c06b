using System.Globalization;
using static TorchSharp.torch;

namespace Pipeline.Editing.Checkpoints;

/// <summary>Python-like one-line text for unpickled values (for <c>checkpoint inspect</c> and error messages).</summary>
public static class PickleText
{
    /// <summary>Longest text shown for one value before it is cut with "…".</summary>
    const int MaxLength = 200;
    const int MaxDepth = 4;

    public static string Repr(object? value)
    {
        var text = Repr(value, 0);
        return text.Length <= MaxLength ? text : text[..MaxLength] + "…";
    }

    /// <summary>Nested containers deeper than <see cref="MaxDepth"/> print as "…", which also ends self-references.</summary>
    static string Repr(object? value, int depth)
    {
        if (depth > MaxDepth && value is PickleTuple or List<object?> or PickleDict) return "…";
        return value switch
        {
            null => "None",
            bool b => b ? "True" : "False",
            string s => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'",
            long l => l.ToString(CultureInfo.InvariantCulture),
            double d => FormatDouble(d),
            Tensor t => $"tensor({DTypes.TorchName(t.dtype)} {DTypes.ShapeText(t.shape)})",
            PickleTuple t => "(" + string.Join(", ", t.Items.Select(i => Repr(i, depth + 1))) + (t.Count == 1 ? ",)" : ")"),
            List<object?> list => "[" + string.Join(", ", list.Select(i => Repr(i, depth + 1))) + "]",
            PickleDict d => "{" + string.Join(", ", d.Select(kv => Repr(kv.Key, depth + 1) + ": " + Repr(kv.Value, depth + 1))) + "}",
            _ => value.ToString() ?? "",
        };
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
