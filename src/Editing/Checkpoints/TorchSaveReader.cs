using static TorchSharp.torch;

namespace Pipeline.Editing.Checkpoints;

/// <summary>
/// Reads a torch.save zip file into a value tree (<see cref="PickleDict"/>, <c>List&lt;object?&gt;</c>,
/// <see cref="PickleTuple"/>, string, long, double, bool, null, <see cref="Tensor"/>) without running any code: the
/// pickle is first checked in full by <see cref="RestrictedUnpickler"/>, then its tensors are built as
/// <c>as_strided</c> views of storages read from the archive, so tensors that shared a storage in Python still do.
/// </summary>
public static class TorchSaveReader
{
    /// <summary>A state dict nests 2–4 levels; deeper trees are refused rather than risking the call stack.</summary>
    const int MaxNesting = 256;

    public static object? Read(string path)
    {
        if (CheckpointFileSniffer.Detect(path) == CheckpointFileFormat.TorchSaveLegacy)
        {
            using var legacy = TorchSaveLegacyFile.Open(path);
            return new Materializer(legacy).Resolve(legacy.Tree, 0);
        }
        using var archive = TorchSaveArchive.Open(path);
        var tree = RestrictedUnpickler.Load(archive.ReadPickle(), path);
        return new Materializer(archive).Resolve(tree, 0);
    }

    sealed class Materializer(ITorchStorageSource archive)
    {
        readonly Dictionary<TensorSpec, Tensor> _tensors = new(ReferenceEqualityComparer.Instance);
        readonly HashSet<object> _done = new(ReferenceEqualityComparer.Instance);
        readonly HashSet<object> _path = new(ReferenceEqualityComparer.Instance);

        public object? Resolve(object? value, int depth)
        {
            if (value is TensorSpec spec) return Tensor(spec);
            if (value is not (PickleDict or List<object?> or PickleTuple)) return value;
            if (depth > MaxNesting) throw new CheckpointFormatException(archive.File, $"containers nest deeper than {MaxNesting} levels");
            if (_done.Contains(value)) return value;  // shared by memo: already resolved in place
            if (!_path.Add(value)) throw new CheckpointFormatException(archive.File, "the pickle contains a reference cycle, which a state dict never has");
            switch (value)
            {
                case PickleDict d:
                    foreach (var key in d.Keys.ToList()) d[key] = Resolve(d[key], depth + 1);
                    if (d.Attributes is not null) Resolve(d.Attributes, depth + 1);
                    break;
                case List<object?> list:
                    for (int i = 0; i < list.Count; i++) list[i] = Resolve(list[i], depth + 1);
                    break;
                case PickleTuple t:
                    t.ResolveItems(item => Resolve(item, depth + 1));
                    break;
            }
            _path.Remove(value);
            _done.Add(value);
            return value;
        }

        Tensor Tensor(TensorSpec spec)
        {
            if (_tensors.TryGetValue(spec, out var t)) return t;
            var storage = archive.Storage(spec.Storage);
            t = storage.as_strided(spec.Size, spec.Stride, spec.Offset);
            _tensors[spec] = t;
            return t;
        }
    }
}
