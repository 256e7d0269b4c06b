using System.Globalization;
using System.Text.Json.Nodes;

namespace Pipeline.Editing.Parity;

/// <summary>One entry of a fixture <c>keys.json</c>: name, shape, dtype, position k and the formula rule it was filled with.</summary>
public sealed record KeyEntry(string Name, long[] Shape, string DType, long K, FormulaRule Rule);

/// <summary>
/// Reads <c>keys.json</c>-style lists (<c>[name, shape, dtype, "k=&lt;k&gt;; &lt;rule&gt;"]</c>) and parses the rule text, e.g.
/// <c>eq_weight: A=1/lr_mul=100</c>, <c>bn_var: C=1,A=0.1,abs</c>, <c>plain_weight: A=2/sqrt(fan_in=576)</c>, <c>keep:int</c>.
/// </summary>
public static class KeysFile
{
    public static List<KeyEntry> Read(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        var list = new List<KeyEntry>();
        // {"keys": [...]} in the network tree; a bare list in the metrics tree.
        foreach (var e in root is JsonArray bare ? bare : root["keys"]!.AsArray())
        {
            var a = e!.AsArray();
            var name = a[0]!.GetValue<string>();
            var shape = a[1]!.AsArray().Select(s => s!.GetValue<long>()).ToArray();
            var dtype = a[2]!.GetValue<string>();
            var (k, rule) = ParseRule(a[3]!.GetValue<string>());
            list.Add(new KeyEntry(name, shape, dtype, k, rule));
        }
        return list;
    }

    public static (long K, FormulaRule Rule) ParseRule(string text)
    {
        var parts = text.Split(';', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !parts[0].StartsWith("k=", StringComparison.Ordinal))
            throw new FormatException($"rule text '{text}' does not start with 'k=<k>;'");
        long k = long.Parse(parts[0][2..], CultureInfo.InvariantCulture);
        var body = parts[1];
        if (body.StartsWith("keep:", StringComparison.Ordinal)) return (k, FormulaRule.KeepAs(body[5..]));
        int colon = body.IndexOf(':');
        if (colon < 0) throw new FormatException($"rule text '{text}' has no tag");
        var tag = body[..colon].Trim();
        double a = 1, c = 0;
        bool abs = false;
        foreach (var raw in body[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw == "abs") { abs = true; continue; }
            if (raw.StartsWith("C=", StringComparison.Ordinal)) { c = Number(raw[2..]); continue; }
            if (raw.StartsWith("A=", StringComparison.Ordinal)) { a = Amplitude(raw[2..]); continue; }
            throw new FormatException($"rule text '{text}': unknown part '{raw}'");
        }
        return (k, new FormulaRule(tag, c, a, abs));
    }

    /// <summary>"1" | "1/lr_mul=100" (the value after the last '=') | "g/sqrt(fan_in=N)" (g / Math.Sqrt(N), in double).</summary>
    static double Amplitude(string s)
    {
        if (s.Contains("/sqrt(fan_in=", StringComparison.Ordinal))
        {
            var g = Number(s[..s.IndexOf('/')]);
            var n = Number(s[(s.IndexOf("fan_in=", StringComparison.Ordinal) + 7)..].TrimEnd(')'));
            return g / Math.Sqrt(n);
        }
        if (s.Contains("lr_mul=", StringComparison.Ordinal)) return Number(s[(s.LastIndexOf('=') + 1)..]);
        return Number(s);
    }

    static double Number(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Checks the port's state entries against the folder's <c>keys.json</c>: names, shapes and order.</summary>
    public static void Check(FixtureContext ctx, IReadOnlyList<(string Name, TorchSharp.torch.Tensor Tensor)> order)
    {
        var keys = Read(Path.Combine(ctx.Dir, "keys.json"));
        var mine = order.Select(e => $"{e.Name} {Pipeline.Editing.Checkpoints.DTypes.ShapeText(e.Tensor.shape)}").ToList();
        var theirs = keys.Select(k => $"{k.Name} {Pipeline.Editing.Checkpoints.DTypes.ShapeText(k.Shape)}").ToList();
        int firstDiff = Enumerable.Range(0, Math.Min(mine.Count, theirs.Count)).FirstOrDefault(i => mine[i] != theirs[i], -1);
        bool same = mine.SequenceEqual(theirs);
        ctx.Check($"keys.json ({theirs.Count} state entries, names, shapes and order)", same,
            same ? null : $"{mine.Count} vs {theirs.Count} entries; first difference at {firstDiff}: {(firstDiff >= 0 ? mine[firstDiff] + " vs " + theirs[firstDiff] : "")}");
    }
}
