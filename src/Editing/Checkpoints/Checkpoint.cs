using static TorchSharp.torch;

namespace Pipeline.Editing.Checkpoints;

/// <summary>How many state-dict keys share a first name component (<c>encoder</c>, <c>decoder</c>, <c>generator_ema</c>…).</summary>
public sealed record PrefixCount(string Prefix, int Count);

/// <summary>
/// A loaded checkpoint: its kind, its state dict in file order, and the pSp extras (<c>opts</c>, <c>latent_avg</c>).
/// It owns every tensor it holds; <see cref="Section"/> returns views that share them.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    internal Checkpoint(string file, CheckpointKind kind, StateDict stateDict, IReadOnlyDictionary<string, object?> opts, Tensor? latentAvg, PickleDict? root)
    {
        File = file;
        Kind = kind;
        StateDict = stateDict;
        Opts = opts;
        LatentAvg = latentAvg;
        Root = root;
        Prefixes = stateDict.Keys
            .GroupBy(k => k.Contains('.') ? k[..k.IndexOf('.')] : k, StringComparer.Ordinal)
            .Select(g => new PrefixCount(g.Key, g.Count()))
            .ToList();
    }

    public string File { get; }
    public CheckpointKind Kind { get; }

    /// <summary>The tensors, in the order the file lists them (<c>state_dict()</c> order for files torch wrote).</summary>
    public StateDict StateDict { get; }

    /// <summary>The training options stored beside the weights (pSp <c>opts</c>), in file order; empty when there are none.</summary>
    public IReadOnlyDictionary<string, object?> Opts { get; }

    /// <summary>pSp's average W+ code (added to the encoder output), or null when the file has none.</summary>
    public Tensor? LatentAvg { get; }

    /// <summary>The top-level dict as read (e.g. an mmcv <c>meta</c>); null for safetensors.</summary>
    public PickleDict? Root { get; }

    /// <summary>First key components in order of first appearance, with their key counts.</summary>
    public IReadOnlyList<PrefixCount> Prefixes { get; }

    /// <summary>
    /// The keys under <paramref name="prefix"/> (<c>encoder</c>, <c>decoder</c>, <c>generator_ema</c>, <c>discriminator</c>;
    /// with or without the trailing dot) with the prefix removed, as pSp's <c>get_keys</c> does. Unlike get_keys, the
    /// prefix must end at a dot, so <c>encoder</c> does not also pick up <c>encoder_x.*</c>.
    /// </summary>
    public StateDict Section(string prefix)
    {
        var name = prefix.TrimEnd('.');
        var section = StateDict.WithPrefix(name + ".");
        if (section.Count == 0)
            throw new ArgumentException($"{File} has no keys under '{name}.' (it has: {string.Join(", ", Prefixes.Select(p => $"{p.Prefix} ({p.Count})"))})", nameof(prefix));
        return section;
    }

    public void Dispose()
    {
        StateDict.Dispose();
        LatentAvg?.Dispose();
        if (Root is not null) DisposeTensors(Root, new HashSet<object>(ReferenceEqualityComparer.Instance));
    }

    static void DisposeTensors(object? value, HashSet<object> seen)
    {
        if (value is null || !seen.Add(value)) return;
        switch (value)
        {
            case Tensor t: t.Dispose(); break;
            case PickleDict d: foreach (var v in d.Values) DisposeTensors(v, seen); break;
            case List<object?> l: foreach (var v in l) DisposeTensors(v, seen); break;
            case PickleTuple t: foreach (var v in t.Items) DisposeTensors(v, seen); break;
        }
    }
}
