namespace Pipeline.Editing.Checkpoints;

/// <summary>A Python tuple from an unpickled file; equal by content, so it can be a dict key as in Python.</summary>
public sealed class PickleTuple : IEquatable<PickleTuple>
{
    public static readonly PickleTuple Empty = new([]);

    readonly object?[] _items;

    public PickleTuple(object?[] items) => _items = items;

    public IReadOnlyList<object?> Items => _items;
    public int Count => _items.Length;
    public object? this[int index] => _items[index];

    /// <summary>Replaces tensor placeholders once the storages are read (a tuple is immutable to its readers).</summary>
    internal void ResolveItems(Func<object?, object?> resolve)
    {
        for (int i = 0; i < _items.Length; i++) _items[i] = resolve(_items[i]);
    }

    public bool Equals(PickleTuple? other) => other is not null && _items.SequenceEqual(other._items);
    public override bool Equals(object? obj) => Equals(obj as PickleTuple);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var item in _items) h.Add(item);
        return h.ToHashCode();
    }

    public override string ToString() => PickleText.Repr(this);
}
