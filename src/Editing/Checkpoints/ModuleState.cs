using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Checkpoints;

/// <summary>
/// The state of a TorchSharp module in PyTorch's <c>state_dict()</c> order: a module's own parameters, then its own
/// persistent buffers, then each child in registration order. TorchSharp's own <c>state_dict</c> lists all parameters
/// before all buffers, which breaks the positional formula weights and diffs against official key lists.
/// </summary>
public static class ModuleState
{
    public static List<(string Name, Tensor Tensor)> OfficialOrder(nn.Module module, string prefix = "")
    {
        var result = new List<(string, Tensor)>();
        Walk(module, prefix, result);
        return result;
    }

    static void Walk(nn.Module m, string prefix, List<(string, Tensor)> acc)
    {
        foreach (var (name, p) in m.named_parameters(recurse: false)) acc.Add((prefix + name, p));
        foreach (var (name, b) in m.named_buffers(recurse: false, include_nonpersistent: false)) acc.Add((prefix + name, b));
        foreach (var (name, child) in m.named_children()) Walk(child, prefix + name + ".", acc);
    }

    /// <summary>The module's state as a <see cref="StateDict"/> (tensors are shared, not copied), optionally renamed.</summary>
    public static StateDict ToStateDict(nn.Module module, IKeyLayout? layout = null)
    {
        var sd = new StateDict();
        var entries = OfficialOrder(module);
        if (layout is not null) entries = layout.ToOfficial(entries);
        foreach (var (n, t) in entries) sd.Add(n, t);
        return sd;
    }

    /// <summary>
    /// Strict load: every key the module expects must be present with the same shape and no other key may be there.
    /// One exception lists every missing, unexpected and mis-shaped key, so a wrong checkpoint is diagnosed in one go.
    /// </summary>
    public static void LoadStrict(nn.Module module, StateDict source, string sourceName, IKeyLayout? layout = null)
    {
        var expected = OfficialOrder(module);
        if (layout is not null) expected = layout.ToOfficial(expected);
        var missing = new List<string>();
        var misShaped = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, target) in expected)
        {
            seen.Add(name);
            if (!source.TryGetValue(name, out var src)) { missing.Add(name); continue; }
            if (!src.shape.SequenceEqual(target.shape))
                misShaped.Add($"{name}: checkpoint {DTypes.ShapeText(src.shape)} vs model {DTypes.ShapeText(target.shape)}");
        }
        var unexpected = source.Keys.Where(k => !seen.Contains(k)).ToList();
        if (missing.Count + misShaped.Count + unexpected.Count > 0)
            throw new StateDictMismatchException(sourceName, missing, unexpected, misShaped);

        using var _ = no_grad();
        foreach (var (name, target) in expected)
        {
            Runtime.TensorCopy.CopyConverted(target, source[name]);
        }
    }
}

/// <summary>Maps a module's own key names to an official checkpoint's names and order (e.g. the mmgen layout).</summary>
public interface IKeyLayout
{
    List<(string Name, Tensor Tensor)> ToOfficial(List<(string Name, Tensor Tensor)> ownOrder);
}

public sealed class StateDictMismatchException(string source, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> misShaped)
    : Exception(Describe(source, missing, unexpected, misShaped))
{
    public IReadOnlyList<string> Missing { get; } = missing;
    public IReadOnlyList<string> Unexpected { get; } = unexpected;
    public IReadOnlyList<string> MisShaped { get; } = misShaped;

    static string Describe(string source, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> misShaped)
    {
        var sb = new StringBuilder($"{source} does not match the model: {missing.Count} missing, {unexpected.Count} unexpected, {misShaped.Count} mis-shaped key(s)");
        void Section(string title, IReadOnlyList<string> items)
        {
            if (items.Count == 0) return;
            sb.Append($"\n  {title}:");
            foreach (var i in items) sb.Append("\n    ").Append(i);
        }
        Section("missing", missing);
        Section("unexpected", unexpected);
        Section("mis-shaped", misShaped);
        return sb.ToString();
    }
}
