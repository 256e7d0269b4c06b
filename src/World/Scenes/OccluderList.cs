using System.Collections;

namespace Pipeline.World.Scenes;

/// <summary>Occluders in drawing order (last on top), compared by content so that scene records stay values.</summary>
public sealed class OccluderList : IReadOnlyList<Occluder>, IEquatable<OccluderList>
{
    readonly Occluder[] _items;

    public OccluderList(IEnumerable<Occluder> items) => _items = items.ToArray();

    public static OccluderList None { get; } = new(Array.Empty<Occluder>());

    public Occluder this[int index] => _items[index];
    public int Count => _items.Length;
    public IEnumerator<Occluder> GetEnumerator() => ((IEnumerable<Occluder>)_items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(OccluderList? other) => other is not null && _items.SequenceEqual(other._items);
    public override bool Equals(object? obj) => Equals(obj as OccluderList);
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var o in _items) h.Add(o);
        return h.ToHashCode();
    }

    public override string ToString() => string.Join(";", _items.Select(o => o.Kind));
}
