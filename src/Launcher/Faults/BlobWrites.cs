using System.Collections.Concurrent;
using Pipeline.Storage;

namespace Pipeline.Launcher.Faults;

/// <summary>Every blob write that reached the store through <see cref="BlobFaultProxy"/> (a <c>Put Blob</c> the store
/// answered 201), with the SHA-256 of its body: a deterministic bundle name written with two different contents is an
/// output written twice.</summary>
public sealed class BlobWrites
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _byName = new(StringComparer.Ordinal);

    public void Add(string name, string sha256) => _byName.GetOrAdd(name, _ => new ConcurrentQueue<string>()).Enqueue(sha256);

    /// <summary>Stage bundles written (each name once).</summary>
    public int Bundles => BundleNames().Count();

    /// <summary>Bundles written more than once, whatever the bytes.</summary>
    public IReadOnlyList<string> Rewritten() => BundleNames().Where(n => _byName[n].Count > 1).Order(StringComparer.Ordinal).ToList();

    /// <summary>Bundles written with more than one content: the output changed after the next stage may have read it.</summary>
    public IReadOnlyList<string> Doubled() =>
        BundleNames().Where(n => _byName[n].Distinct(StringComparer.Ordinal).Count() > 1).Order(StringComparer.Ordinal).ToList();

    private IEnumerable<string> BundleNames() => _byName.Keys.Where(n => n.EndsWith($".{StageBundle.Extension}", StringComparison.Ordinal));
}
