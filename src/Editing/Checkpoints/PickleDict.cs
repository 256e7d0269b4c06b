using System.Collections;

namespace Pipeline.Editing.Checkpoints;

/// <summary>
/// A Python <c>dict</c> or <c>collections.OrderedDict</c> from an unpickled file, in insertion order (both keep it since
/// Python 3.7). Keys are strings, integers, floats, booleans or <see cref="PickleTuple"/>s.
/// </summary>
public sealed class PickleDict : IEnumerable<KeyValuePair<object, object?>>
{
    readonly OrderedDictionary<object, object?> _items = new();

    public PickleDict(bool isOrderedDict = false) => IsOrderedDict = isOrderedDict;

    /// <summary>True for <c>collections.OrderedDict</c> (what <c>state_dict()</c> returns), false for a plain dict.</summary>
    public bool IsOrderedDict { get; }

    /// <summary>
    /// Instance attributes restored by BUILD: <c>state_dict()</c> attaches <c>_metadata</c> (per-module versions) to
    /// its OrderedDict, and pickling keeps it. Null when the dict carried none.
    /// </summary>
    public PickleDict? Attributes { get; internal set; }

    public int Count => _items.Count;
    public IEnumerable<object> Keys => _items.Keys;
    public IEnumerable<object?> Values => _items.Values;

    public object? this[object key]
    {
        get => _items.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"no entry '{key}'");
        set => _items[key] = value;
    }

    public bool ContainsKey(object key) => _items.ContainsKey(key);
    public bool TryGetValue(object key, out object? value) => _items.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<object, object?>> GetEnumerator() => _items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
