using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// Copies of intermediate synthesis tensors by name (<c>conv1</c>, <c>to_rgb1</c>, <c>convs.j</c>, <c>to_rgbs.t</c>),
/// owned here and outside every dispose scope until this object is disposed.
/// </summary>
public sealed class FeatureTaps : IDisposable
{
    readonly Dictionary<string, Tensor> _taps = new(StringComparer.Ordinal);
    readonly Func<string, bool> _wanted;

    /// <param name="wanted">which names to keep (all when null): taps of a 1024 pass are large</param>
    public FeatureTaps(Func<string, bool>? wanted = null) => _wanted = wanted ?? (_ => true);

    public IReadOnlyCollection<string> Names => _taps.Keys;

    public Tensor this[string name] => _taps.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"no tap named '{name}' was recorded");

    public bool Contains(string name) => _taps.ContainsKey(name);

    internal void Record(string name, Tensor value)
    {
        if (!_wanted(name)) return;
        if (_taps.Remove(name, out var old)) old.Dispose();
        _taps[name] = value.detach().clone().DetachFromDisposeScope();
    }

    public void Dispose()
    {
        foreach (var t in _taps.Values) t.Dispose();
        _taps.Clear();
    }
}
