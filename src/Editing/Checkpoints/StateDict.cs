using System.Collections;
using static TorchSharp.torch;

namespace Pipeline.Editing.Checkpoints;

/// <summary>An ordered name → tensor map, as PyTorch's state_dict: order matters (formula weights index by position).</summary>
public sealed class StateDict : IEnumerable<KeyValuePair<string, Tensor>>, IDisposable
{
    readonly List<string> _order = new();
    readonly Dictionary<string, Tensor> _map = new(StringComparer.Ordinal);

    /// <summary>Free-form string metadata (safetensors <c>__metadata__</c>).</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    public int Count => _order.Count;
    public IReadOnlyList<string> Keys => _order;
    public Tensor this[string key] => _map.TryGetValue(key, out var t) ? t : throw new KeyNotFoundException($"no tensor named '{key}'");
    public bool ContainsKey(string key) => _map.ContainsKey(key);
    public bool TryGetValue(string key, out Tensor tensor) => _map.TryGetValue(key, out tensor!);

    public void Add(string key, Tensor tensor)
    {
        if (!_map.TryAdd(key, tensor)) throw new ArgumentException($"duplicate tensor name '{key}'");
        _order.Add(key);
    }

    /// <summary>Keys that start with <c>prefix</c>, with the prefix removed (pSp's <c>get_keys</c>).</summary>
    public StateDict WithPrefix(string prefix)
    {
        var result = new StateDict();
        foreach (var k in _order)
            if (k.StartsWith(prefix, StringComparison.Ordinal)) result.Add(k[prefix.Length..], _map[k]);
        return result;
    }

    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator()
    {
        foreach (var k in _order) yield return new(k, _map[k]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        foreach (var t in _map.Values) t.Dispose();
        _map.Clear();
        _order.Clear();
    }
}
