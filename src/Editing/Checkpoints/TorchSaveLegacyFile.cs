using System.Buffers.Binary;
using static TorchSharp.torch;

namespace Pipeline.Editing.Checkpoints;

/// <summary>
/// The format torch.save wrote before PyTorch 1.6 (and still writes with <c>_use_new_zipfile_serialization=False</c>),
/// in which many released weights still ship (LPIPS' <c>v0.1/*.pth</c>, torchvision's AlexNet and VGG16): five pickles
/// back to back — the magic number, the protocol version 1001, a system-info dict, the object, and the list of storage
/// keys — followed, for each key in that list, by an int64 element count and the storage's raw little-endian bytes.
/// The object pickle goes through <see cref="RestrictedUnpickler"/> like a zip file's <c>data.pkl</c>; storage records
/// are located by their headers and read only when a tensor refers to them.
/// </summary>
public sealed class TorchSaveLegacyFile : ITorchStorageSource, IDisposable
{
    /// <summary><c>pickle.dumps(0x1950a86a20f9469cfc6c, protocol=2)</c>: the legacy magic number.</summary>
    public static ReadOnlySpan<byte> MagicPickle => [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e];
    const long ProtocolVersion = 1001;
    /// <summary>The pickles of a state dict are small; the prefix read first is this large, then the whole pickle bound.</summary>
    const int FirstPrefixBytes = 8 << 20;

    readonly FileStream _stream;
    readonly Dictionary<string, (long Offset, long Numel)> _records = new(StringComparer.Ordinal);
    readonly Dictionary<string, Tensor> _storages = new(StringComparer.Ordinal);
    readonly Dictionary<string, long> _elementSizes = new(StringComparer.Ordinal);

    TorchSaveLegacyFile(string file, FileStream stream, object? tree)
    {
        File = file;
        _stream = stream;
        Tree = tree;
    }

    public string File { get; }

    /// <summary>The object pickle's value tree, tensors still as <see cref="TensorSpec"/>s.</summary>
    public object? Tree { get; }

    public static TorchSaveLegacyFile Open(string path)
    {
        var stream = System.IO.File.OpenRead(path);
        try
        {
            var (tree, keys, dataStart) = ReadPickles(path, stream);
            var file = new TorchSaveLegacyFile(path, stream, tree);
            foreach (var s in StoragesOf(tree)) file._elementSizes[s.Key] = DTypes.ElementSize(s.DType);
            file.IndexRecords(keys, dataStart);
            return file;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    static (object? Tree, List<string> Keys, long DataStart) ReadPickles(string path, FileStream stream)
    {
        long limit = Math.Min(stream.Length, TorchSaveArchive.MaxPickleBytes);
        int prefix = (int)Math.Min(limit, FirstPrefixBytes);
        while (true)
        {
            var head = new byte[prefix];
            stream.Position = 0;
            stream.ReadExactly(head);
            try
            {
                return ParsePickles(path, head);
            }
            catch (PickleTruncatedException) when (prefix < limit)
            {
                prefix = (int)limit;
            }
        }
    }

    static (object? Tree, List<string> Keys, long DataStart) ParsePickles(string path, byte[] head)
    {
        if (!head.AsSpan().StartsWith(MagicPickle))
            throw new CheckpointFormatException(path, "does not start with the legacy torch.save magic number");
        int at = MagicPickle.Length;
        var version = RestrictedUnpickler.Load(head, ref at, path);
        if (version is not long v || v != ProtocolVersion)
            throw new CheckpointFormatException(path, $"legacy torch.save protocol version {PickleText.Repr(version)} is not the supported {ProtocolVersion}");
        var sysInfo = RestrictedUnpickler.Load(head, ref at, path) as PickleDict
            ?? throw new CheckpointFormatException(path, "legacy torch.save system information is not a dict");
        if (sysInfo.TryGetValue("little_endian", out var little) && little is false)
            throw new CheckpointFormatException(path, "checkpoint was saved on a big-endian machine; only little-endian checkpoints are supported: re-save it on a little-endian machine");
        var tree = RestrictedUnpickler.Load(head, ref at, path);
        var keyList = RestrictedUnpickler.Load(head, ref at, path) as List<object?>
            ?? throw new CheckpointFormatException(path, "legacy torch.save storage key list is missing");
        var keys = keyList.Select(k => k as string ?? throw new CheckpointFormatException(path, $"storage key {PickleText.Repr(k)} is not a string")).ToList();
        return (tree, keys, at);
    }

    void IndexRecords(List<string> keys, long dataStart)
    {
        Span<byte> count = stackalloc byte[8];
        long at = dataStart;
        foreach (var key in keys)
        {
            if (at + 8 > _stream.Length) throw new CheckpointFormatException(File, $"storage record '{key}' is missing: the file ends at byte {_stream.Length}");
            _stream.Position = at;
            _stream.ReadExactly(count);
            long numel = BinaryPrimitives.ReadInt64LittleEndian(count);
            if (numel < 0) throw new CheckpointFormatException(File, $"storage record '{key}' declares {numel} elements");
            if (!_records.TryAdd(key, (at + 8, numel))) throw new CheckpointFormatException(File, $"storage key '{key}' is listed twice");
            if (!_elementSizes.TryGetValue(key, out var elementSize))
                throw new CheckpointFormatException(File, $"storage record '{key}' is not referenced by any tensor, so its size is unknown");
            if (numel > (_stream.Length - at) / elementSize) throw new CheckpointFormatException(File, $"storage record '{key}' declares {numel} elements, more than the file holds: truncated");
            at += 8 + numel * elementSize;
        }
        if (at > _stream.Length) throw new CheckpointFormatException(File, $"storage records need {at} bytes but the file holds {_stream.Length}: truncated");
    }

    /// <summary>Every storage a tensor of the tree refers to (records carry only an element count, not a dtype).</summary>
    static IEnumerable<TorchStorageRef> StoragesOf(object? tree)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object?>([tree]);
        while (pending.Count > 0)
        {
            var value = pending.Pop();
            if (value is null || value is string || value.GetType().IsValueType || !seen.Add(value)) continue;
            switch (value)
            {
                case TensorSpec spec: yield return spec.Storage; break;
                case PickleDict d:
                    foreach (var (k, v) in d) { pending.Push(k); pending.Push(v); }
                    if (d.Attributes is not null) pending.Push(d.Attributes);
                    break;
                case List<object?> list: foreach (var v in list) pending.Push(v); break;
                case PickleTuple t: foreach (var v in t.Items) pending.Push(v); break;
            }
        }
    }

    public Tensor Storage(TorchStorageRef storage)
    {
        if (_storages.TryGetValue(storage.Key, out var cached))
        {
            if (cached.dtype != storage.DType || cached.shape[0] != storage.Numel)
                throw new CheckpointFormatException(File, $"storage '{storage.Key}' is referenced both as {DTypes.TorchName(cached.dtype)}[{cached.shape[0]}] and {DTypes.TorchName(storage.DType)}[{storage.Numel}]");
            return cached;
        }
        if (!_records.TryGetValue(storage.Key, out var record))
            throw new CheckpointFormatException(File, $"storage '{storage.Key}' is not in the file's storage list");
        if (record.Numel != storage.Numel)
            throw new CheckpointFormatException(File, $"storage record '{storage.Key}' holds {record.Numel} elements but the pickle declares {storage.Numel}");
        long bytes = storage.ByteLength;
        if (bytes > Array.MaxLength)
            throw new CheckpointFormatException(File, $"storage record '{storage.Key}' ({bytes} bytes) is larger than one buffer can hold");
        var data = new byte[bytes];
        _stream.Position = record.Offset;
        _stream.ReadExactly(data);
        var t = DTypes.FromLittleEndianBytes(data, storage.DType, [storage.Numel]);
        _storages[storage.Key] = t;
        return t;
    }

    public void Dispose()
    {
        foreach (var t in _storages.Values) t.Dispose();
        _storages.Clear();
        _stream.Dispose();
    }
}
